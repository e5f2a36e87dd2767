"""Forms parse what people type about KPIs; the KPI services decide whether it is allowed and valid."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lodestar.core.forms import plain_number
from lodestar.core.validation import clean_number
from lodestar.kpis.models import KPI
from lodestar.kpis.pasted import ROWS_MAX
from lodestar.orgs.models import Group, Membership
from lodestar.orgs.permissions import group_ids
from lodestar.orgs.pickers import GroupsField, PersonField
from lodestar.orgs.selectors import goal_holders

_NUMBER = {"max_length": 40, "widget": forms.TextInput(attrs={"inputmode": "decimal"})}


class KPIForm(forms.Form):
    """A KPI's fields; the bounds that its goal rule does not use are dropped."""

    RULE_FIELDS = {
        KPI.Rule.NONE: set(),
        KPI.Rule.AT_LEAST: {"rule_min"},
        KPI.Rule.AT_MOST: {"rule_max"},
        KPI.Rule.BETWEEN: {"rule_min", "rule_max"},
    }

    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("What is measured, e.g. “Open support tickets”.")
    )
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False, help_text=_("E.g. %, k€, tickets."))
    rule = forms.ChoiceField(
        label=_("Goal"),
        choices=KPI.Rule.choices,
        widget=forms.RadioSelect,
        help_text=_("The KPI is healthy while its latest value meets the goal; the bounds count as met."),
    )
    rule_min = forms.CharField(
        label=_("Lower bound"), error_messages={"required": _("Enter the lower bound.")}, **_NUMBER
    )
    rule_max = forms.CharField(
        label=_("Upper bound"), error_messages={"required": _("Enter the upper bound.")}, **_NUMBER
    )
    cadence = forms.ChoiceField(
        label=_("Updated"),
        choices=KPI.Cadence.choices,
        widget=forms.RadioSelect,
        help_text=_("How often a new value is due; the KPI says so when one is missing."),
    )
    aggregation = forms.ChoiceField(
        label=_("Per period, the chart shows"),
        choices=KPI.Aggregation.choices,
        help_text=_("The latest value of each week, month or quarter, or the sum or average of its values."),
    )
    owner = PersonField(label=_("Owner"), help_text=_("Who keeps it up to date."))
    groups = GroupsField(label=_("Groups"), help_text=_("The teams whose health it shows."))

    def __init__(self, *args, actor: Membership, kpi: KPI | None = None, **kwargs):
        if kpi is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": kpi.name,
                "description": kpi.description,
                "unit": kpi.unit,
                "rule": kpi.rule,
                "rule_min": plain_number(kpi.rule_min),
                "rule_max": plain_number(kpi.rule_max),
                "cadence": kpi.cadence,
                "aggregation": kpi.aggregation,
                "owner": kpi.owner,
                "groups": list(kpi.groups.all()),
            }
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        organization_id = actor.organization_id
        keep = {kpi.owner_id} if kpi is not None else set()
        self.fields["owner"].offer(
            goal_holders(organization_id, keep=keep), organization=actor.organization, holders_only=True
        )
        member_of, _leads = group_ids(actor)
        self.fields["groups"].offer(
            Group.objects.filter(organization_id=organization_id),
            organization=actor.organization,
            suggested=sorted(member_of),
        )

    def clean(self):
        cleaned = super().clean()
        applies = self.RULE_FIELDS.get(cleaned.get("rule"), set())
        for field in ("rule_min", "rule_max"):
            if field not in applies:
                self._errors.pop(field, None)
                cleaned[field] = None
        return cleaned

    def kpi_fields(self) -> dict:
        """The cleaned data as keyword arguments for services.create_kpi/update_kpi."""
        data = dict(self.cleaned_data)
        data["groups"] = list(data["groups"])
        return data


class KPIValueForm(forms.Form):
    """A new value: the figure, the date it is for (today unless backfilling) and a comment."""

    value = forms.CharField(label=_("New value"), **_NUMBER)
    recorded_on = forms.DateField(
        label=_("For the date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today unless you fill in a past value."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kpi: KPI, today: datetime.date, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"kpi{kpi.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].widget.attrs["max"] = today.isoformat()

    def clean_value(self):
        """Read as the service reads it, so a wrong figure is named beside a wrong date at once."""
        try:
            return clean_number(self.cleaned_data["value"], field="value")
        except ValidationError as error:
            raise ValidationError(error.message_dict["value"]) from None


class KPIImportForm(forms.Form):
    text = forms.CharField(
        label=_("Dated values"),
        max_length=ROWS_MAX * 60,
        widget=forms.Textarea(
            attrs={"rows": 12, "spellcheck": "false", "placeholder": "2026-09-30,412.5\n2026-10-31,431\n…"}
        ),
        help_text=_(
            "One value per line: its date and the value, separated by a comma, a semicolon or a tab, as copied "
            "from a spreadsheet. Dates like 2026-11-30 or 30.11.2026. Nothing is saved while a line is wrong."
        ),
    )
