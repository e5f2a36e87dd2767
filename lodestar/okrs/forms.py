"""Forms parse what people type; the services decide whether it is allowed and valid."""

import calendar
import datetime

from django import forms
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from lodestar.core.forms import IdsChoiceField, plain_number
from lodestar.kpis.models import KPI
from lodestar.okrs import selectors
from lodestar.okrs.alignment_map import MapFilters
from lodestar.okrs.models import CheckInStatus, Initiative, KeyResult, Objective, ObjectiveGroup, Status, Timeframe
from lodestar.orgs.models import Group, Membership
from lodestar.orgs.permissions import group_ids
from lodestar.orgs.pickers import GroupField, GroupsField, PeopleField, PersonField, TakesWholeGroups
from lodestar.orgs.selectors import goal_holders
from lodestar.strategy.models import Pillar

STATUS_CHOICES = [("", _("Decide from progress")), *CheckInStatus.choices]


class CheckInForm(forms.Form):
    """A check-in for one key result; the reading field depends on its type."""

    value = forms.CharField(label=_("New value"), required=False, max_length=40)
    percent = forms.CharField(label=_("Estimated progress (%)"), required=False, max_length=10)
    done = forms.BooleanField(label=_("Done"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=CheckInStatus.choices, required=False)
    confidence = forms.TypedChoiceField(
        label=_("Confidence"),
        choices=[("", "–"), *((n, n) for n in range(1, 11))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, key_result: KeyResult, automatic_status: bool, **kwargs):
        super().__init__(*args, prefix=f"kr{key_result.pk}", **kwargs)
        self.key_result = key_result
        kind = key_result.kind
        reading = {
            KeyResult.Kind.METRIC: "value",
            KeyResult.Kind.THRESHOLD: "value",
            KeyResult.Kind.ESTIMATE: "percent",
            KeyResult.Kind.MILESTONE: "done",
        }[kind]
        for field in ("value", "percent", "done"):
            if field != reading:
                del self.fields[field]
        if reading == "value":
            self.fields["value"].required = True
            if key_result.unit:
                self.fields["value"].label = _("New value (%(unit)s)") % {"unit": key_result.unit}
        elif reading == "percent":
            self.fields["percent"].required = True
        if automatic_status:
            self.fields["status"].choices = STATUS_CHOICES
        else:
            self.fields["status"].required = True

    def reading(self) -> dict:
        """The cleaned data as keyword arguments for services.record_check_in."""
        data = {key: value for key, value in self.cleaned_data.items() if key in self.fields}
        data["status"] = data.get("status") or None
        return data


# --- timeframes ----------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), on the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_end(kind: str, starts_on: datetime.date) -> datetime.date | None:
    """A quarter lasts three months and a year twelve: it ends the day before the same date that many
    months later (1 April → 30 June). A custom timeframe has no default."""
    months = {Timeframe.Kind.QUARTER: 3, Timeframe.Kind.YEAR: 12}.get(kind)
    if months is None:
        return None
    try:
        return add_months(starts_on, months) - datetime.timedelta(days=1)
    except (ValueError, OverflowError):  # beyond the year 9999: the service refuses such dates anyway
        return None


class TimeframeForm(forms.Form):
    """A timeframe's name, kind, dates and state; a quarter or a year without an end date gets one."""

    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example “Q3 2026” or “2027”."))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Timeframe.Kind.choices, initial=Timeframe.Kind.QUARTER, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for a quarter or a year: it then ends three or twelve months after the start."),
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=Timeframe.State.choices,
        initial=Timeframe.State.PLANNING,
        help_text=_("A closed timeframe is read-only for everyone but admins."),
    )

    def __init__(self, *args, timeframe: Timeframe | None = None, **kwargs):
        if timeframe is not None:
            kwargs.setdefault(
                "initial",
                {field: getattr(timeframe, field) for field in ("name", "kind", "starts_on", "ends_on", "state")},
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        starts_on = data.get("starts_on")
        if starts_on and not data.get("ends_on") and "ends_on" not in self.errors and data.get("kind"):
            ends_on = default_end(data["kind"], starts_on)
            if ends_on is None:
                self.add_error("ends_on", _("Enter the date this timeframe ends."))
            else:
                data["ends_on"] = ends_on
        return data


# --- objectives and key results -------------------------------------------------------------------
# The choices offered are read once per form (one query per list, never one per option); the
# querysets that check a posted id all start from the organization, so another organization's
# id is an ordinary "Select a valid choice" next to the field. People are typed, not chosen from
# a list of everyone (lodestar.orgs.pickers).

PARENT_CHOICES_MAX = 100  # the alignment select without JavaScript
PARENT_SEARCH_MAX = 20  # one answer of the alignment search
KEEP_PARENT = "keep"  # the value of "aligned as before" when the current parent is hidden from the editor
_LEVEL_GROUP_LABELS = {
    Objective.Level.COMPANY: _("Company objectives"),
    Objective.Level.GROUP: _("Group objectives"),
    Objective.Level.PERSONAL: _("Personal objectives"),
}


def _posted_ids(data, field: str) -> set[int]:
    """The ids a bound form posted for a field, ignoring anything that is not an id."""
    ids = set()
    for value in data.getlist(field) if hasattr(data, "getlist") else [data.get(field)]:
        text = str(value or "").strip()
        if text.isdecimal() and 0 < int(text) < 2**63:
            ids.add(int(text))
    return ids


def alignment_groups(actor: Membership, *, chosen=(), groups=None) -> set[int]:
    """The groups whose objectives the alignment picker offers: the person's, the chosen owning
    groups, and every group above them (a team aligns to its department). ``groups``: the
    organization's groups when already read, else one query reads them."""
    if groups is None:
        parent_of = dict(Group.objects.filter(organization_id=actor.organization_id).values_list("pk", "parent_id"))
    else:
        parent_of = {group.pk: group.parent_id for group in groups}
    member_of, _leads = group_ids(actor)
    found, pending = set(), [*member_of, *chosen]
    while pending:
        group_id = pending.pop()
        if group_id in parent_of and group_id not in found:
            found.add(group_id)
            pending.append(parent_of[group_id])
    return found


def parent_candidates(
    actor: Membership,
    *,
    timeframe: Timeframe | None,
    of_groups=(),
    levels=(Objective.Level.COMPANY, Objective.Level.GROUP),
    search: str = "",
    keep=(),
    exclude: int | None = None,
    limit: int = PARENT_CHOICES_MAX,
) -> list[Objective]:
    """Objectives the person may see and align to, with their groups (two queries, three with ``keep``):
    company and group objectives whose timeframe overlaps ``timeframe`` — with ``search`` those whose
    title contains it, else the company objectives and those of the groups ``of_groups`` — and, first,
    the ones in ``keep`` (the current choice). The services check the full alignment rules when the
    form is saved."""
    fits = Q(level__in=levels)
    if timeframe is not None:
        fits &= Q(timeframe__starts_on__lte=timeframe.ends_on, timeframe__ends_on__gte=timeframe.starts_on)
    if search:
        fits &= Q(title__icontains=search)
    elif of_groups:
        owned = ObjectiveGroup.objects.filter(organization_id=actor.organization_id, group_id__in=of_groups)
        fits &= Q(level=Objective.Level.COMPANY) | Q(pk__in=owned.values("objective_id"))
    else:
        fits &= Q(level=Objective.Level.COMPANY)
    keep = [pk for pk in keep if pk]
    # Private candidates are filtered in the query, so that they cost no query of their own.
    shaped = selectors.visible_objectives(actor).exclude(pk=exclude or 0).select_related("timeframe")
    # Two queries rather than one OR: each is served by an index starting with the organization.
    kept = list(shaped.filter(pk__in=keep)) if keep else []
    found = list(shaped.filter(fits).exclude(pk__in=keep).order_by("level", "title", "pk")[: limit - len(kept)])
    prefetch_related_objects([*kept, *found], "groups")
    return kept + found


def parent_label(objective: Objective, timeframe: Timeframe | None) -> str:
    """An objective in the alignment picker: its title, its groups, and its timeframe when it is another."""
    parts = [objective.title]
    if objective.level == Objective.Level.GROUP:
        parts.extend(group.name for group in objective.groups.all())
    if timeframe is None or objective.timeframe_id != timeframe.pk:
        parts.append(objective.timeframe.name)
    return " · ".join(parts)


def parent_choices(objectives: list[Objective], timeframe: Timeframe | None) -> list[tuple]:
    """Candidates grouped by level (company first), as (group label, [(id, label), ...])."""
    grouped = {level: [] for level in _LEVEL_GROUP_LABELS}
    for objective in objectives:
        grouped[objective.level].append((objective.pk, parent_label(objective, timeframe)))
    return [(_LEVEL_GROUP_LABELS[level], options) for level, options in grouped.items() if options]


class ParentChoiceField(forms.ModelChoiceField):
    """The objective to align to; ``keep`` stands for an unchanged parent the editor may not see."""

    keep_allowed = False

    def to_python(self, value):
        if self.keep_allowed and value == KEEP_PARENT:
            return KEEP_PARENT
        return super().to_python(value)


CONTRIBUTORS_HELP = _(
    "Type names or e-mail addresses, separated by commas or new lines, to add people; untick or remove someone to "
    "take them off."
)


def _leave_out_of_groups(form, cleaned: dict, holder) -> None:
    """A whole group's lead or owner of the goal does not also become its contributor (typed, they do)."""
    pick = form.picks.get("contributors")
    if holder is None or pick is None or "contributors" not in cleaned:
        return
    if holder.pk in {person.pk for person in pick.from_groups} - {person.pk for person in pick.typed}:
        cleaned["contributors"] = [person for person in cleaned["contributors"] if person.pk != holder.pk]


def contributors_added(form, before) -> tuple[list[Membership], list[Membership], list[Membership]]:
    """What saving a goal form does to its contributors: (added, those of whole groups who already
    contributed, the groups' read-only people left out). ``before``: ids of the contributors before."""
    pick = form.picks.get("contributors")
    now = form.cleaned_data.get("contributors") or []
    added = [person for person in now if person.pk not in before]
    already = [person for person in (pick.from_groups if pick else ()) if person.pk in before]
    return added, already, list(pick.left_out if pick else ())


class ObjectiveForm(TakesWholeGroups, forms.Form):
    """An objective's fields. Owning groups count only for group objectives and the pillar only
    for company objectives: what a hidden field of another level carries is dropped. Contributors
    may come from whole groups too (``picks["contributors"]``)."""

    whole_groups = ("contributors",)

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A qualitative outcome that inspires, e.g. “Fleet managers trust our alerts”."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=Objective.Level.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Company objectives are set by admins; group objectives by the groups' members; "
            "personal ones by the person or their manager."
        ),
    )
    groups = GroupsField(
        label=_("Owning groups"),
        help_text=_("Tick one of your groups or type a group's name or short name; several for a shared objective."),
    )
    pillar = forms.ModelChoiceField(
        label=_("Strategic pillar"), queryset=Pillar.objects.none(), required=False, empty_label=_("None")
    )
    timeframe = forms.ModelChoiceField(label=_("Timeframe"), queryset=Timeframe.objects.none(), empty_label=None)
    parent = ParentChoiceField(
        label=_("Aligned to"),
        queryset=Objective.objects.none(),
        required=False,
        help_text=_("The company or group objective this one helps to achieve."),
    )
    lead = PersonField(label=_("Lead"), help_text=_("The one person accountable for the objective."))
    contributors = PeopleField(label=_("Contributors"), help_text=CONTRIBUTORS_HELP)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Objective.Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_("A private objective is seen only by its lead, contributors, owning groups and admins."),
    )
    commitment = forms.ChoiceField(
        label=_("Commitment"),
        choices=Objective.Commitment.choices,
        widget=forms.RadioSelect,
        help_text=_("Committed: we will get there. Aspirational: a stretch, 70 % would be a success."),
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[(Objective.State.DRAFT, _("Draft")), (Objective.State.ACTIVE, _("Active"))],
        widget=forms.RadioSelect,
        help_text=_("A draft is visible and open for feedback but counts in no report."),
    )
    progress_driver = forms.ChoiceField(
        label=_("Progress comes from"),
        choices=Objective.ProgressDriver.choices,
        help_text=_(
            "Aligned objectives count once they are active, and only public ones: a private objective never "
            "drives the progress or status of the objective it is aligned to."
        ),
    )
    kpis = IdsChoiceField(
        label=_("KPIs it aims to move"),
        queryset=KPI.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The KPI page then lists this objective, and this page shows the KPIs' health."),
    )

    SCALAR_FIELDS = ("title", "description", "level", "visibility", "commitment", "state", "progress_driver")
    FOREIGN_KEYS = ("timeframe", "lead", "parent", "pillar")

    def __init__(self, *args, actor: Membership, objective: Objective | None = None, **kwargs):
        self.group_ids, self.contributor_ids, self.kpi_ids = set(), set(), set()
        if objective is not None:
            self.group_ids = {link.group_id for link in objective.objective_groups.all()}
            self.kpi_ids = set(objective.kpi_links.values_list("kpi_id", flat=True))
            contributors = [
                link.membership for link in objective.objective_contributors.select_related("membership__user")
            ]
            self.contributor_ids = {person.pk for person in contributors}
            kwargs.setdefault(
                "initial",
                {
                    **{field: getattr(objective, field) for field in self.SCALAR_FIELDS},
                    **{field: getattr(objective, f"{field}_id") for field in self.FOREIGN_KEYS},
                    "lead": objective.lead,
                    "groups": sorted(self.group_ids),
                    "contributors": contributors,
                    "kpis": sorted(self.kpi_ids),
                },
            )
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.actor, self.objective = actor, objective
        org = actor.organization_id
        fields = self.fields

        timeframes = Timeframe.objects.filter(organization_id=org)
        if not actor.is_admin:
            timeframes = timeframes.exclude(state=Timeframe.State.CLOSED)
        fields["timeframe"].queryset = timeframes
        timeframe_list = list(timeframes.order_by("-starts_on", "ends_on", "pk"))
        fields["timeframe"].choices = [(tf.pk, tf.name) for tf in timeframe_list]

        # The person's own groups are offered as checkboxes; any other group is typed (lodestar.orgs.pickers).
        member_of, _leads = group_ids(actor)
        fields["groups"].offer(
            Group.objects.filter(organization_id=org), organization=actor.organization, suggested=sorted(member_of)
        )

        fields["kpis"].queryset = KPI.objects.filter(organization_id=org)
        fields["kpis"].choices = list(fields["kpis"].queryset.order_by("name", "pk").values_list("pk", "name"))
        fields["pillar"].queryset = Pillar.objects.filter(organization_id=org)
        pillars = Pillar.objects.filter(organization_id=org).order_by("-year", "position", "name", "pk")
        fields["pillar"].choices = [("", _("None")), *((pillar.pk, str(pillar)) for pillar in pillars)]

        current_people = {objective.lead_id, *self.contributor_ids} if objective is not None else set()
        people = goal_holders(org, keep=current_people)
        for field in ("lead", "contributors"):
            fields[field].offer(people, organization=actor.organization, holders_only=True)
        self.offer_whole_groups(actor.organization)

        if objective is not None and objective.state == Objective.State.CLOSED:
            fields["state"].choices = Objective.State.choices
        self._set_parent_choices(timeframe_list)

    def _chosen(self, field: str):
        """What the form shows for a field: the posted value when bound, else the initial one."""
        if self.is_bound:
            return self.data.get(self.add_prefix(field))
        value = self.initial.get(field)
        return getattr(value, "pk", value)

    def _set_parent_choices(self, timeframe_list) -> None:
        field = self.fields["parent"]
        field.queryset = selectors.visible_objectives(self.actor)
        chosen_tf = str(self._chosen("timeframe") or "")
        timeframe = next((tf for tf in timeframe_list if str(tf.pk) == chosen_tf), None)
        if self.is_bound:
            field_groups = self.fields["groups"]
            chosen_groups = field_groups.chosen_ids(
                field_groups.widget.value_from_datadict(self.data, None, self.add_prefix("groups"))
            )
        else:
            chosen_groups = {getattr(group, "pk", group) for group in self.initial.get("groups") or ()}
        current_parent = self.objective.parent_id if self.objective is not None else None
        keep = {current_parent, *_posted_ids({"parent": self._chosen("parent")}, "parent")} - {None}
        candidates = parent_candidates(
            self.actor,
            timeframe=timeframe,
            of_groups=sorted(alignment_groups(self.actor, chosen=chosen_groups)),
            keep=sorted(keep),
            exclude=self.objective.pk if self.objective is not None else None,
        )
        choices = [("", _("Not aligned"))]
        if current_parent and current_parent not in {candidate.pk for candidate in candidates}:
            # Aligned to a private objective the editor may not see: keep it, without naming it.
            field.keep_allowed = True
            choices.append((KEEP_PARENT, _("Unchanged (an objective you cannot see)")))
            if not self.is_bound:
                self.initial["parent"] = KEEP_PARENT
        field.choices = [*choices, *parent_choices(candidates, timeframe)]

    def clean(self):
        cleaned = super().clean()
        _leave_out_of_groups(self, cleaned, cleaned.get("lead"))
        level = cleaned.get("level")
        if level != Objective.Level.GROUP:
            self._errors.pop("groups", None)
            cleaned["groups"] = []
        elif "groups" in cleaned and not cleaned["groups"]:
            self.add_error("groups", _("A group objective needs at least one owning group."))
        if level != Objective.Level.COMPANY:
            self._errors.pop("pillar", None)
            cleaned["pillar"] = None
        return cleaned

    def objective_fields(self) -> dict:
        """The cleaned data as keyword arguments for services.create_objective."""
        data = dict(self.cleaned_data)
        data["groups"] = list(data["groups"])
        data["contributors"] = list(data["contributors"])
        data["kpis"] = list(data["kpis"])
        return data

    def changes(self) -> dict:
        """Only what differs from the objective being edited (the service re-checks only what changed,
        so that, say, a deactivated contributor does not block renaming it)."""
        objective, changes = self.objective, {}
        for field, value in self.objective_fields().items():
            if field == "groups":
                changed = {group.pk for group in value} != self.group_ids
            elif field == "contributors":
                changed = {person.pk for person in value} != self.contributor_ids
            elif field == "kpis":
                changed = {kpi.pk for kpi in value} != self.kpi_ids
            elif field == "parent" and value == KEEP_PARENT:
                changed = False
            elif field in self.FOREIGN_KEYS:
                changed = getattr(value, "pk", None) != getattr(objective, f"{field}_id")
            else:
                changed = value != getattr(objective, field)
            if changed:
                changes[field] = value
        return changes


class KeyResultForm(TakesWholeGroups, forms.Form):
    """A key result's fields; only those of its type count (the others may still carry what was
    typed before the type was switched, and are dropped). Contributors may come from whole groups too."""

    whole_groups = ("contributors",)

    TYPE_FIELDS = {
        KeyResult.Kind.METRIC: {"start_value", "target_value", "unit"},
        KeyResult.Kind.THRESHOLD: {"target_value", "threshold_direction", "unit"},
        KeyResult.Kind.MILESTONE: set(),
        KeyResult.Kind.ESTIMATE: set(),
    }

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A measurable outcome, e.g. “Alerts acknowledged within an hour: from 40 % to 90 %”."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=KeyResult.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Metric: from a start value to a target. Threshold: stay above or below a value. "
            "Milestone: done or not done. Estimate: no figures yet, progress by judgement."
        ),
    )
    # Required for the types they belong to; clean() drops what does not belong to the chosen type.
    start_value = forms.CharField(
        label=_("Start value"),
        max_length=40,
        error_messages={"required": _("Enter the start value.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Where you stand at the beginning."),
    )
    target_value = forms.CharField(
        label=_("Target value"),
        max_length=40,
        error_messages={"required": _("Enter the target value.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("For a threshold: the value to stay at or above (or below)."),
    )
    threshold_direction = forms.ChoiceField(
        label=_("Threshold"),
        choices=KeyResult.ThresholdDirection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to stay above or below the value.")},
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False, help_text=_("E.g. %, €, customers."))
    weight = forms.CharField(
        label=_("Weight"),
        max_length=40,
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("How much it counts toward the objective's progress; 1 for every key result counts them equally."),
    )
    owner = PersonField(label=_("Owner"))
    contributors = PeopleField(label=_("Contributors"), help_text=CONTRIBUTORS_HELP)

    def __init__(self, *args, actor: Membership, key_result: KeyResult | None = None, **kwargs):
        keep, self.contributor_ids = set(), set()
        if key_result is not None and "initial" not in kwargs:
            links = key_result.key_result_contributors.select_related("membership__user")
            contributors = [link.membership for link in links]
            self.contributor_ids = {person.pk for person in contributors}
            keep = {key_result.owner_id, *self.contributor_ids}
            kwargs["initial"] = {
                "title": key_result.title,
                "description": key_result.description,
                "kind": key_result.kind,
                "start_value": plain_number(key_result.start_value),
                "target_value": plain_number(key_result.target_value),
                "threshold_direction": key_result.threshold_direction,
                "unit": key_result.unit,
                "weight": plain_number(key_result.weight),
                "owner": key_result.owner,
                "contributors": contributors,
            }
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        people = goal_holders(actor.organization_id, keep=keep)
        for field in ("owner", "contributors"):
            self.fields[field].offer(people, organization=actor.organization, holders_only=True)
        self.offer_whole_groups(actor.organization)

    def clean(self):
        cleaned = super().clean()
        _leave_out_of_groups(self, cleaned, cleaned.get("owner"))
        applies = self.TYPE_FIELDS.get(cleaned.get("kind"), set())
        for field, empty in (("start_value", None), ("target_value", None), ("threshold_direction", ""), ("unit", "")):
            if field not in applies:
                self._errors.pop(field, None)
                cleaned[field] = empty
        kept = self.key_result
        if cleaned.get("kind") == KeyResult.Kind.THRESHOLD and kept is not None and kept.kind == cleaned["kind"]:
            cleaned["start_value"] = kept.start_value  # optional for a threshold, not on the form: kept as it was
        return cleaned

    def key_result_fields(self) -> dict:
        """The cleaned data as keyword arguments for services.create_key_result/update_key_result."""
        data = dict(self.cleaned_data)
        data["contributors"] = list(data["contributors"])
        for field in ("start_value", "target_value"):
            data[field] = data[field] if data[field] not in ("", None) else None
        return data


class MapFilterForm(forms.Form):
    """The alignment map's filters, read from the query string (any subset may be set)."""

    FIELDS = ("group", "person", "status")

    group = GroupField(label=_("Group"), required=False)
    person = PersonField(label=_("Person"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])

    def __init__(self, query, *, viewer: Membership):
        super().__init__(query if any(query.get(name) for name in self.FIELDS) else None)
        organization_id = viewer.organization_id
        self.fields["group"].offer(
            Group.objects.filter(organization_id=organization_id).order_by("name"), organization=viewer.organization
        )
        people = Membership.objects.filter(organization_id=organization_id).select_related("user")
        self.fields["person"].offer(people, organization=viewer.organization)

    def filters(self) -> MapFilters:
        """The filters that are valid; one naming no group or person gets its message next to the field
        and narrows nothing."""
        if not self.is_bound:
            return MapFilters()
        self.is_valid()  # leaves the valid fields in cleaned_data
        cleaned = self.cleaned_data
        return MapFilters(group=cleaned.get("group"), person=cleaned.get("person"), status=cleaned.get("status") or "")

    def query(self) -> dict[str, str]:
        """The filters as typed, for the links of the map to carry on."""
        if not self.is_bound:
            return {}
        return {name: self.data[name] for name in self.FIELDS if self.data.get(name)}


class InitiativeForm(forms.Form):
    """An initiative: the work, who does it, by when, how far, and which key results it should move."""

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("The project or task, e.g. “Dual-bank bootloader rollout”.")
    )
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    key_results = IdsChoiceField(
        label=_("Key results it should move"),
        queryset=KeyResult.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the key results this work should move.")},
    )
    owner = PersonField(label=_("Owner"), required=False, help_text=_("Who drives the work."))
    state = forms.ChoiceField(label=_("Status"), choices=Initiative.State.choices, widget=forms.RadioSelect)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    progress_percent = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("How far the work is, if you track it; it never changes the key results' progress."),
    )

    def __init__(self, *args, actor: Membership, objective_ids, initiative: Initiative | None = None, **kwargs):
        if initiative is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": initiative.title,
                "description": initiative.description,
                "key_results": list(initiative.key_results.values_list("pk", flat=True)),
                "owner": initiative.owner,
                "state": initiative.state,
                "due_on": initiative.due_on,
                "progress_percent": initiative.progress_percent,
            }
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        org = actor.organization_id
        # ``objective_ids`` are objectives the actor may see: key results of others are no choice,
        # and a checked one of them would not show (the service keeps those links).
        key_results = KeyResult.objects.filter(organization_id=org, objective_id__in=objective_ids)
        self.fields["key_results"].queryset = key_results
        self.fields["key_results"].choices = list(
            key_results.order_by("objective__title", "position", "pk").values_list("pk", "title")
        )
        if initiative is not None and self.initial.get("key_results"):
            offered = {pk for pk, _title in self.fields["key_results"].choices}
            self.initial["key_results"] = [pk for pk in self.initial["key_results"] if pk in offered]
        keep = {initiative.owner_id} if initiative is not None and initiative.owner_id else set()
        self.fields["owner"].offer(goal_holders(org, keep=keep), organization=actor.organization, holders_only=True)

    def initiative_fields(self) -> dict:
        """The cleaned data as keyword arguments for services.create_initiative/update_initiative."""
        data = dict(self.cleaned_data)
        data["key_results"] = list(data["key_results"])
        return data


class CloseObjectiveForm(forms.Form):
    """The end of an objective's cycle: a score, an outcome, the organization's reflection questions
    (one field each) and, optionally, the timeframe its unfinished key results continue in."""

    score = forms.DecimalField(
        label=_("Score"),
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        widget=forms.NumberInput({"step": "0.1"}),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Objective.Outcome.choices, widget=forms.RadioSelect)

    def __init__(self, data=None, *, objective: Objective, questions: list[str], timeframes, suggestion: dict):
        super().__init__(data, initial=suggestion)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"reflection_{index}"] = forms.CharField(
                label=question, required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
            )
        self.fields["carry_into"] = forms.ModelChoiceField(
            label=_("Carry the unfinished key results over into"),
            required=False,
            queryset=timeframes,
            empty_label=_("Do not carry over"),
            help_text=_("They continue there as a draft objective, linked to this one; metrics from where they stand."),
        )

    def reflection(self) -> dict:
        return {question: self.cleaned_data[f"reflection_{index}"] for index, question in enumerate(self.questions)}


class ActivateDraftsForm(forms.Form):
    """Which of a timeframe's drafts to activate; all are ticked to begin with."""

    objectives = forms.TypedMultipleChoiceField(
        label=_("Drafts to activate"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, drafts: list[Objective]):
        super().__init__(data, initial={"objectives": [draft.pk for draft in drafts]})
        self.drafts = {draft.pk: draft for draft in drafts}
        self.fields["objectives"].choices = [(draft.pk, f"{draft.title} · {draft.lead}") for draft in drafts]

    def clean_objectives(self):
        return [self.drafts[pk] for pk in self.cleaned_data["objectives"]]


class BulkCarryOverForm(forms.Form):
    """Which unfinished objectives of a timeframe continue, and where; all are ticked to begin with."""

    objectives = forms.TypedMultipleChoiceField(
        label=_("Objectives to carry over"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    into = forms.ModelChoiceField(label=_("Continue them in"), queryset=Timeframe.objects.none(), empty_label=None)

    def __init__(self, data=None, *, candidates: list[Objective], timeframes):
        super().__init__(data, initial={"objectives": [objective.pk for objective in candidates]})
        self.candidates = {objective.pk: objective for objective in candidates}
        self.fields["objectives"].choices = [
            (objective.pk, f"{objective.title} · {objective.lead}") for objective in candidates
        ]
        self.fields["into"].queryset = timeframes

    def clean_objectives(self):
        return [self.candidates[pk] for pk in self.cleaned_data["objectives"]]


class ConvertToMetricForm(forms.Form):
    """The measured baseline and the target that turn an estimate into a metric."""

    start_value = forms.CharField(
        label=_("Baseline"), max_length=40, help_text=_("The value you measured: progress counts from here.")
    )
    target_value = forms.CharField(label=_("Target"), max_length=40)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    current_value = forms.CharField(
        label=_("Current value"),
        max_length=40,
        required=False,
        help_text=_("Leave empty when the baseline is today's value."),
    )


class DismissFindingForm(forms.Form):
    """Leave one of the coach's findings as it is, saying why."""

    rule = forms.CharField(widget=forms.HiddenInput, max_length=40)
    key_result = forms.ModelChoiceField(queryset=KeyResult.objects.none(), required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why does this not apply?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone who can edit the objective sees your reason; the coach stops raising this finding here."),
    )

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_result"].queryset = KeyResult.objects.filter(
            organization_id=objective.organization_id, objective=objective
        )
        self.fields["key_result"].error_messages["invalid_choice"] = _("That key result belongs to another objective.")
