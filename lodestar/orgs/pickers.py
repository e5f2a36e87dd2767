"""The person and group pickers: how every form picks people or groups without listing them all.

A ``<select>`` of every active person made each form that picks someone take about a second and
a megabyte in an organization of 10,000. Instead a person is typed: their e-mail address, or
their full name when only one person who may be picked has it. While typing, htmx fills a
``<datalist>`` under the input with up to 20 matches (orgs:people_options); without JavaScript
the text input works alone. ``PersonField`` picks one person; ``PeopleField`` several: those
chosen stay as ticked checkboxes (untick to remove) and a text box takes more, several at once
separated by commas, semicolons or new lines (a pasted list of addresses works). With JavaScript
(static/js/people-picker.js) the chosen show as removable chips and the box is one input with
suggestions that turns each entry into a chip. A form that mixes in ``TakesWholeGroups`` also takes
everyone active in chosen groups (and their sub-groups) for a PeopleField.

Groups are picked the same way (``GroupField``, ``GroupsField``, suggestions from
orgs:group_options): typed as their name or their short name (slug), in any case.

Both pickers are one implementation: a field for one choice (``_OneField``, with a text input) and
one for several (``_SeveralField``, with checkboxes and an input), told by a kind (``_People``,
``_Groups``) what they pick, how typed text names it and how a choice shows.

Each field checks what is posted against the choices it was offered (``offer``), a queryset that
starts from the organization: another organization's address or group is not found, a field error
like any typo. Rendering and checking take a fixed number of queries, whatever the size of the
organization.
"""

import operator
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import reduce

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lodestar.orgs.models import Group, GroupMembership, Membership, Role

PEOPLE_POSTED_MAX = 300  # people typed into one PeopleField in one post (whole groups count apart)
GROUPS_POSTED_MAX = 100  # groups one GroupsField takes in one post
PEOPLE_HELP = _("Type names or e-mail addresses, separated by commas or new lines, or paste a list.")
NAMES_SHOWN = 12  # people a message names before it says how many more
_TEXT_MAX = 254  # the longest e-mail address; names are shorter
_ADDRESS_IN_BRACKETS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$")  # a pasted "Max Member <max@acme.test>"
# One entry of a list of people: up to a comma, semicolon or line end, except inside "quotes" or
# <brackets> (mail programs write "Doe, Jane" <jane@acme.test>). Each alternative is a character
# or a closed run, so matching takes linear time whatever is posted.
_ENTRY = re.compile(r'(?:"[^"\r\n]*"|<[^<>\r\n]*>|[^,;\r\n])+')


@dataclass(frozen=True)
class Suggestion:
    """One person as an ``<option>`` of the picker's datalist, or a checkbox of PeopleInput."""

    email: str
    name: str
    job_title: str
    checked: bool = True

    @classmethod
    def of(cls, person: Membership, *, checked: bool = True) -> "Suggestion":
        return cls(person.user.email, person.user.full_name, person.job_title, checked)


@dataclass(frozen=True)
class GroupSuggestion:
    """One group as an ``<option>`` of the group picker's datalist, or a checkbox of GroupsInput."""

    slug: str
    name: str
    parent: str
    checked: bool = True

    @classmethod
    def of(cls, group: Group, *, checked: bool = True) -> "GroupSuggestion":
        parent = group.parent.name if group.parent_id and group.parent is not None else ""
        return cls(group.slug, group.name, parent, checked)


def options_url(organization, *, holders_only: bool = False) -> str:
    """Where the person picker asks for suggestions; ``holders_only`` leaves out viewers (who cannot
    lead, own or contribute to goals)."""
    url = reverse("orgs:people_options", kwargs={"org_slug": organization.slug})
    return f"{url}?holders=1" if holders_only else url


def group_options_url(organization) -> str:
    return reverse("orgs:group_options", kwargs={"org_slug": organization.slug})


def group_text(group: Group) -> str:
    """How a chosen group shows in a text input: its name when that names it, else its short name."""
    return group.name if slugify(group.name)[:80] == group.slug else group.slug


def _search_url(options: str, name: str) -> str:
    """The suggestions URL for one input: htmx sends the input's value under its own name, and
    ``field`` tells the view which parameter that is."""
    return f"{options}{'&' if '?' in options else '?'}{urlencode({'field': name})}" if options else ""


def _searchable(text: str) -> bool:
    """Overlong text or control characters (PostgreSQL cannot even compare NUL) name nothing."""
    return len(text) <= _TEXT_MAX and not any(unicodedata.category(char) == "Cc" for char in text)


def _shortened(text: str) -> str:
    """Typed text quoted in a message: a page of it helps no one."""
    return text if len(text) <= 80 else f"{text[:79]}…"


def people_names(people, *, most: int | None = None) -> str:
    """People named in a message, by name, in the order given; past ``most`` of them, how many more."""
    people = list(people)
    names = ", ".join(str(person) for person in people[:most])
    if most is not None and len(people) > most:
        more = len(people) - most
        names = ngettext("%(names)s and %(count)d more", "%(names)s and %(count)d more", more) % {
            "names": names,
            "count": more,
        }
    return names


def _chosen_pk(value):
    return getattr(value, "pk", value) or None


# --- what differs between the pickers: the kind of choice -----------------------------------------


class _Kind(ABC):
    """What a picker picks, how typed text names it and how a choice shows."""

    model: type[Model]
    suggestion: type  # how a choice shows in a datalist or as a checkbox
    listed_as: str  # the name under which the widget templates find the choices shown

    def typed(self, value) -> str:
        """What was typed, with runs of spaces made one."""
        return " ".join(str(value).split())

    def entries(self, posted: str) -> list[str]:
        """The entries one posted value holds: itself."""
        return [posted]

    def unknown_code(self, text: str) -> str:
        """The error code for text that names nothing."""
        return "invalid_choice"

    @abstractmethod
    def as_text(self, choice) -> str:
        """How a choice shows in a text input, in a way the field reads back."""

    @abstractmethod
    def order(self, choice):
        """The sort key of choices shown or cleaned together."""

    @abstractmethod
    def look_up(self, choices, keys: set[str]) -> dict[str, list]:
        """The ``choices`` each key (typed text in lower case) may name, the one meant first."""


class _People(_Kind):
    """A person is typed as their e-mail address or, when only one person has it, their full name."""

    model = Membership
    suggestion = Suggestion
    listed_as = "people"

    def typed(self, value) -> str:
        """What was typed, with runs of spaces made one; a pasted "Name <address>" counts as the address."""
        text = super().typed(value)
        match = _ADDRESS_IN_BRACKETS.search(text)
        return match.group(1) if match else text

    def entries(self, posted: str) -> list[str]:
        """Several people typed into one box, separated by commas, semicolons or new lines."""
        return [entry for entry in (match.strip() for match in _ENTRY.findall(posted)) if entry]

    def unknown_code(self, text: str) -> str:
        """A name that names no one asks for the e-mail address instead."""
        return "invalid_choice" if "@" in text else "unknown_name"

    def as_text(self, person: Membership) -> str:
        """The way mail programs write it: "Full Name <address>"."""
        user = person.user
        return f"{user.full_name} <{user.email}>" if user.full_name else user.email

    def order(self, person: Membership):
        return (person.user.full_name.lower(), person.user.email)

    def look_up(self, people, keys: set[str]) -> dict[str, list[Membership]]:
        """The person with the e-mail address a key is, or everyone with the full name it is (a key
        with "@" is an address, never a name)."""
        wanted = reduce(
            operator.or_,
            (Q(user__email__iexact=key) if "@" in key else Q(user__full_name__iexact=key) for key in keys),
        )
        found = {key: [] for key in keys}
        for person in people.filter(wanted).order_by("pk"):
            email, name = person.user.email.lower(), person.user.full_name.lower()
            if email in found:
                found[email].append(person)
            if name in found and "@" not in name:
                found[name].append(person)
        return found


class _Groups(_Kind):
    """A group is typed as its short name (unique in the organization) or its name (not necessarily
    unique), in any case. The datalist suggests short names, labelled with the name and the parent group."""

    model = Group
    suggestion = GroupSuggestion
    listed_as = "groups"

    def as_text(self, group: Group) -> str:
        return group_text(group)

    def order(self, group: Group):
        return (group.name.lower(), group.pk)

    def look_up(self, groups, keys: set[str]) -> dict[str, list[Group]]:
        """The group whose short name a key is, else the groups whose name it is."""
        wanted = reduce(operator.or_, (Q(slug__iexact=key) | Q(name__iexact=key) for key in keys))
        by_slug, by_name = {}, {key: [] for key in keys}
        for group in groups.filter(wanted).order_by("pk"):
            slug, name = group.slug.lower(), group.name.lower()
            if slug in keys:
                by_slug[slug] = group
            if name in keys:
                by_name[name].append(group)
        return {key: [by_slug[key]] if key in by_slug else _meant(key, by_name[key]) for key in keys}


def _meant(name: str, named: list[Group]) -> list[Group]:
    """Of several groups called ``name``, the one whose short name was made from it (the first so
    named) is meant; without one, all of them are, and the person is asked for the short name."""
    original = [group for group in named if group.slug == slugify(name)[:80]]
    return original if len(named) > 1 and original else named


_PEOPLE = _People()
_GROUPS = _Groups()


# --- the widgets ----------------------------------------------------------------------------------


class _OneInput(forms.TextInput):
    """A text input for one choice with a datalist of suggestions, filled by htmx while typing. The
    choice made shows as text the field reads back, and starts the datalist."""

    kind: _Kind
    placeholder = ""
    options_url = ""  # set by the field's offer()

    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "spellcheck": "false", "placeholder": self.placeholder}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        return self.kind.as_text(value) if isinstance(value, self.kind.model) else super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = [self.kind.suggestion.of(value)] if isinstance(value, self.kind.model) else []
        context["widget"].update({self.kind.listed_as: shown, "search_url": _search_url(self.options_url, name)})
        return context


class _SeveralInput(forms.Widget):
    """The choices made as ticked checkboxes (untick to remove), the suggested ones unticked, and a
    text input to add one, with a datalist of suggestions; everything is posted under the field's name."""

    kind: _Kind
    use_fieldset = True
    options_url = ""  # set by the field's offer()
    suggested = ()  # the choices offered unticked, set by the field's prepare_value()
    entries_max = 0  # entries read from one post (one more than the field takes, so that it can say so); 0: all

    def value_from_datadict(self, data, files, name):
        """Every entry posted under the field's name: ticked boxes, and what the text box holds (for
        people, several entries per value)."""
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        entries = []
        for value in [values] if isinstance(values, str | int) else values:
            entries.extend(self.kind.entries(str(value)))
            if self.entries_max and len(entries) >= self.entries_max:
                return entries[: self.entries_max]
        return entries

    def value_omitted_from_data(self, data, files, name):
        return False  # like checkboxes: nothing posted means none

    def format_value(self, value):
        return list(value or ())

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = context["widget"]["value"]
        chosen = {choice.pk: choice for choice in values if isinstance(choice, self.kind.model)}
        offered = {choice.pk: choice for choice in self.suggested}
        shown = [
            self.kind.suggestion.of(choice, checked=choice.pk in chosen)
            for choice in sorted({**offered, **chosen}.values(), key=self.kind.order)
        ]
        typed = [value for value in values if not isinstance(value, self.kind.model) and str(value).strip()]
        context["widget"].update(
            {self.kind.listed_as: shown, "typed": typed or [""], "search_url": _search_url(self.options_url, name)}
        )
        return context


class PersonInput(_OneInput):
    """A text input for a person's e-mail address or name; the person chosen shows as "Full Name <address>"."""

    template_name = "components/person_input.html"
    kind = _PEOPLE
    placeholder = _("Name or e-mail address")


class PeopleInput(_SeveralInput):
    """The people chosen as ticked checkboxes (chips with JavaScript) and a text box for more, one
    entry per line or separated by commas; what named no one comes back in the box, a line each."""

    template_name = "components/people_input.html"
    kind = _PEOPLE
    entries_max = PEOPLE_POSTED_MAX + 1

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["text"] = "\n".join(text for text in context["widget"]["typed"] if text)
        return context


class GroupInput(_OneInput):
    """A text input for a group's name or short name."""

    template_name = "components/group_input.html"
    kind = _GROUPS
    placeholder = _("Group name or short name")


class GroupsInput(_SeveralInput):
    """The groups chosen as ticked checkboxes, the suggested ones unticked, and a text input to add a group."""

    template_name = "components/groups_input.html"
    kind = _GROUPS
    entries_max = GROUPS_POSTED_MAX + 1


# --- the fields -----------------------------------------------------------------------------------


class _Picker:
    """What every picker field shares: the choices it accepts, those its widget suggests, and a
    per-form memory of what names which."""

    kind: _Kind

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offered = None
        self.suggested_ids = []
        self._found, self._by_id = {}, {}

    def _accept(self, choices, *, options_url: str, suggested=()) -> None:
        self.offered = choices
        self.suggested_ids = [pk for pk in suggested if isinstance(pk, int)]
        self._found, self._by_id = {}, {}
        self.widget.options_url = options_url

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._found, copied._by_id = {}, {}
        return copied

    def find(self, texts) -> dict[str, list]:
        """The choices each text may name, keyed by the text in lower case, the one meant first.
        One query for all texts not seen before."""
        if self.offered is None:
            raise ValueError(f"{type(self).__name__}: call offer() with the choices to pick from first")
        missing = {text.lower() for text in texts if _searchable(text)} - self._found.keys()
        if missing:
            found = self.kind.look_up(self.offered, missing)
            self._found.update(found)
            self._by_id.update((choice.pk, choice) for matches in found.values() for choice in matches)
        return {text.lower(): self._found.get(text.lower(), []) for text in texts}

    def by_ids(self, ids) -> dict[int, Model]:
        """Choices given as ids (one query for those not seen before)."""
        missing = {pk for pk in ids if isinstance(pk, int)} - self._by_id.keys()
        if missing:
            found = {choice.pk: choice for choice in self.offered.filter(pk__in=missing)}
            self._by_id.update({pk: found.get(pk) for pk in missing})
        return {pk: self._by_id[pk] for pk in ids if isinstance(pk, int) and self._by_id.get(pk) is not None}

    def pick(self, text: str, found: dict[str, list]) -> Model:
        """The one choice ``text`` names, or the field error that says why there is none."""
        matches = found.get(text.lower(), [])
        if len(matches) == 1:
            return matches[0]
        code = "ambiguous" if matches else self.kind.unknown_code(text)
        raise ValidationError(self.error_messages[code], code=code, params={"value": _shortened(text)})

    def named(self, item, ids: dict[int, Model]) -> Model | None:
        """The choice an initial or posted item stands for: itself, its id (read into ``ids``), or
        the text that named it alone when the form was checked."""
        if isinstance(item, self.kind.model):
            return item
        if isinstance(item, int):
            return ids.get(item)
        matches = self._found.get(self.kind.typed(item).lower(), []) if isinstance(item, str) else []
        return matches[0] if len(matches) == 1 else None

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            chosen = self.clean(data)
        except ValidationError:
            return True
        return self.compared(chosen) != self.compared(initial)


class _OneField(_Picker, forms.Field):
    """One choice of those offered, typed; cleans to it, or to None when nothing was typed."""

    def to_python(self, value) -> str:
        return "" if value in self.empty_values else self.kind.typed(value)

    def clean(self, value):
        text = self.to_python(value)
        self.validate(text)
        self.run_validators(text)
        if not text:
            return None
        return self.pick(text, self.find([text]))

    def prepare_value(self, value):
        """The choice to show: the initial one (or its id), or the one the posted text named; else
        the text as posted (an unknown id shows as nothing)."""
        if value in self.empty_values:
            return value
        choice = self.named(value, self.by_ids([value]))
        if choice is not None:
            return choice
        return "" if isinstance(value, int) else value

    def compared(self, value):
        """What has_changed compares: the id chosen."""
        return _chosen_pk(value)


class _SeveralField(_Picker, forms.Field):
    """Several choices of those offered, each typed; cleans to a list of them in the kind's order.
    Nothing posted is none."""

    posted_max: int  # texts taken in one post

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)

    def to_python(self, value) -> list[str]:
        """The texts posted, each once whatever its case."""
        texts, seen = [], set()
        for item in value if isinstance(value, list | tuple) else [value]:
            text = "" if item in self.empty_values else self.kind.typed(item)
            if text and text.lower() not in seen:
                seen.add(text.lower())
                texts.append(text)
        return texts

    def clean(self, value):
        texts = self.to_python(value)
        self.validate(texts)
        if len(texts) > self.posted_max:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": self.posted_max})
        found = self.find(texts)
        chosen, errors, unknown = {}, [], {}
        for text in texts:
            try:
                choice = self.pick(text, found)
            except ValidationError as error:
                if error.code == "ambiguous":
                    errors.append(error)
                else:
                    unknown[text] = error
            else:
                chosen[choice.pk] = choice
        refusals, explained = self.refusals([text for text in unknown if _searchable(text)])
        errors.extend(error for text, error in unknown.items() if text not in explained)
        errors.extend(refusals)
        if errors:
            raise ValidationError(errors)
        return sorted(chosen.values(), key=self.kind.order)

    def refusals(self, texts: list[str]) -> tuple[list[ValidationError], set[str]]:
        """Why texts that named none of the choices were refused, when that is more than a typo:
        the errors, and the texts they explain. By default nothing is explained."""
        return [], set()

    def chosen_ids(self, value) -> set[int]:
        """The ids of the choices a posted value names, ignoring what names none."""
        texts = self.to_python(value)[: self.posted_max]
        return {matches[0].pk for matches in self.find(texts).values() if len(matches) == 1}

    def prepare_value(self, value):
        """The choices to show as ticked boxes, and what named none as typed text; also reads the
        suggested choices for the widget (in the same query as initial ids)."""
        values = list(value) if isinstance(value, list | tuple) else ([] if value in self.empty_values else [value])
        ids = self.by_ids([*(item for item in values if isinstance(item, int)), *self.suggested_ids])
        self.widget.suggested = [ids[pk] for pk in self.suggested_ids if pk in ids]
        shown, typed = {}, []
        for item in values:
            choice = self.named(item, ids)
            if choice is not None:
                shown[choice.pk] = choice
            elif isinstance(item, str) and item.strip():
                typed.append(item)
        return [*sorted(shown.values(), key=self.kind.order), *typed]

    def compared(self, value):
        """What has_changed compares: the ids chosen."""
        return {_chosen_pk(choice) for choice in value or ()}


class _PersonPicker(_Picker):
    """Picks people: an active person of the organization, unless offered otherwise."""

    kind = _PEOPLE
    default_error_messages = {
        "ambiguous": _("Several people are called “%(value)s”: enter the e-mail address of the one you mean."),
        "deactivated": _("Deactivated people cannot be chosen: %(names)s."),
        "read_only": _("Read-only people (viewers) cannot be chosen here: %(names)s."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.organization_id, self.holders_only = None, False

    def offer(self, people, *, organization, holders_only: bool = False) -> None:
        """Accept the people of ``people`` (a Membership queryset starting from ``organization``),
        and suggest the organization's active people (without viewers when ``holders_only``)."""
        self._accept(people.select_related("user"), options_url=options_url(organization, holders_only=holders_only))
        self.organization_id, self.holders_only = organization.pk, holders_only

    def refusals(self, texts: list[str]) -> tuple[list[ValidationError], set[str]]:
        """Deactivated people, and viewers where only people who may hold goals are offered, are
        refused by name (one more query, only when something typed was not found)."""
        if not texts or self.organization_id is None:
            return [], set()
        everyone = Membership.objects.filter(organization_id=self.organization_id).select_related("user")
        found = self.kind.look_up(everyone, {text.lower() for text in texts})
        refused = {"deactivated": {}, "read_only": {}}
        explained = set()
        for text in texts:
            matches = found.get(text.lower(), [])
            if len(matches) != 1:
                continue
            person = matches[0]
            if not person.is_active:
                refused["deactivated"][person.pk] = person
            elif self.holders_only and person.role == Role.VIEWER:
                refused["read_only"][person.pk] = person
            else:
                continue
            explained.add(text)
        errors = [
            ValidationError(
                self.error_messages[code],
                code=code,
                params={"names": people_names(sorted(people.values(), key=self.kind.order))},
            )
            for code, people in refused.items()
            if people
        ]
        return errors, explained


class _GroupPicker(_Picker):
    """Picks groups of the organization."""

    kind = _GROUPS
    default_error_messages = {
        "ambiguous": _("Several groups are called “%(value)s”: enter the short name of the one you mean."),
    }

    def offer(self, groups, *, organization, suggested=()) -> None:
        """Accept the groups of ``groups`` (a Group queryset starting from ``organization``);
        ``suggested``: ids of groups a GroupsInput shows as checkboxes even when not chosen."""
        self._accept(groups.select_related("parent"), options_url=group_options_url(organization), suggested=suggested)


class PersonField(_PersonPicker, _OneField):
    """One person of those offered, typed as an e-mail address or a full name; cleans to a Membership."""

    widget = PersonInput
    default_error_messages = {
        "invalid_choice": _("No active person with this e-mail address in the organization."),
        "unknown_name": _("No one of this name in the organization: enter their e-mail address."),
    }


class PeopleField(_PersonPicker, _SeveralField):
    """Several people of those offered, each typed as an e-mail address or a full name; cleans to a
    list of Memberships (by name). Nothing posted is no one."""

    widget = PeopleInput
    posted_max = PEOPLE_POSTED_MAX
    default_error_messages = {
        "invalid_choice": _("No active person with the e-mail address “%(value)s” in the organization."),
        "unknown_name": _("No one called “%(value)s” in the organization: enter their e-mail address."),
        "too_many": _("Choose at most %(limit)d people."),
    }

    def with_groups(self, typed, groups, *, sub_groups: bool = False) -> "PeoplePick":
        """The people ``typed``, and everyone active in ``groups`` (with their sub-groups) whom this
        field may take; the groups' other active people are left out (three queries at most)."""
        if not groups:
            return PeoplePick(typed=tuple(typed))
        group_ids = {group.pk for group in groups}
        if sub_groups:
            group_ids = _with_sub_groups(self.organization_id, group_ids)
        places = GroupMembership.objects.filter(organization_id=self.organization_id, group_id__in=group_ids)
        in_groups = Membership.objects.filter(
            organization_id=self.organization_id, is_active=True, pk__in=places.values("membership_id")
        )
        taken = self.offered.filter(pk__in=in_groups.values("pk"))
        left_out = in_groups.exclude(pk__in=self.offered.values("pk")).select_related("user")
        return PeoplePick(
            typed=tuple(typed),
            groups=tuple(groups),
            from_groups=tuple(taken),
            left_out=tuple(sorted(left_out, key=_PEOPLE.order)),
        )


class GroupField(_GroupPicker, _OneField):
    """One group of those offered, typed as its name or short name; cleans to a Group (or None)."""

    widget = GroupInput
    default_error_messages = {
        "invalid_choice": _("No group of this name or short name in the organization."),
    }


class GroupsField(_GroupPicker, _SeveralField):
    """Several groups of those offered, each typed as its name or short name; cleans to a list of
    Groups (by name). Nothing posted is none."""

    widget = GroupsInput
    posted_max = GROUPS_POSTED_MAX
    default_error_messages = {
        "invalid_choice": _("No group called “%(value)s” in the organization."),
        "too_many": _("Choose at most %(limit)d groups."),
    }


# --- whole groups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeoplePick:
    """What a PeopleField with whole groups was given: the people typed or ticked, those of the
    groups chosen, and the groups' active people the field may not take (viewers where only people
    who may hold goals are offered). ``everyone``: the first two together, each once, by name."""

    typed: tuple = ()
    groups: tuple = ()
    from_groups: tuple = ()
    left_out: tuple = ()

    @property
    def everyone(self) -> list[Membership]:
        people = {person.pk: person for person in (*self.typed, *self.from_groups)}
        return sorted(people.values(), key=_PEOPLE.order)


def _with_sub_groups(organization_id: int, group_ids: set[int]) -> set[int]:
    """The groups and every group nested below them (one query for the organization's tree)."""
    children = {}
    for pk, parent_id in Group.objects.filter(organization_id=organization_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, queue = set(group_ids), list(group_ids)
    while queue:
        for child in children.get(queue.pop(), ()):
            if child not in found:
                found.add(child)
                queue.append(child)
    return found


_WHOLE_GROUPS_TEMPLATE = "components/whole_groups_field.html"


class TakesWholeGroups:
    """A form mixin: each PeopleField named in ``whole_groups`` also takes everyone active in the
    groups chosen in ``<name>_groups`` (a GroupsField), with their sub-groups when ``<name>_subgroups``
    is ticked. The mixin adds both fields after the PeopleField; the form offers them the
    organization's groups with ``offer_whole_groups``. Cleaned, the PeopleField holds everyone and
    ``picks[name]`` tells who came from where (a PeoplePick); the two fields leave the cleaned data. With ``people_required``, a form
    asks for at least one person or group. A group's people are read in at most three queries
    however many they are."""

    whole_groups: tuple[str, ...] = ("people",)
    people_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.picks = {}
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name in self.whole_groups:
                fields[f"{name}_groups"] = GroupsField(
                    label=_("Whole groups"),
                    help_text=_("Everyone active in these groups is added: type a group's name or short name."),
                    template_name=_WHOLE_GROUPS_TEMPLATE,
                )
                fields[f"{name}_subgroups"] = forms.BooleanField(
                    label=_("With their sub-groups"), required=False, template_name=_WHOLE_GROUPS_TEMPLATE
                )
        self.fields = fields

    def offer_whole_groups(self, organization) -> None:
        groups = Group.objects.filter(organization_id=organization.pk).order_by("name")
        for name in self.whole_groups:
            self.fields[f"{name}_groups"].offer(groups, organization=organization)

    def clean(self):
        """The PeopleField holds everyone; the group fields leave the cleaned data (``picks`` keeps
        them), so that it still goes to a service as keyword arguments."""
        cleaned = super().clean()
        for name in self.whole_groups:
            typed, groups = cleaned.get(name), cleaned.pop(f"{name}_groups", None)
            sub_groups = bool(cleaned.pop(f"{name}_subgroups", False))
            if typed is None or groups is None:
                continue  # a field error says why
            pick = self.fields[name].with_groups(typed, groups, sub_groups=sub_groups)
            self.picks[name] = pick
            cleaned[name] = pick.everyone
            if groups and not pick.from_groups:
                self.add_error(
                    f"{name}_groups",
                    _("No one in %(groups)s can be added here.") % {"groups": ", ".join(g.name for g in groups)},
                )
            elif self.people_required and not cleaned[name]:
                self.add_error(name, _("Type at least one person, or choose a group."))
        return cleaned
