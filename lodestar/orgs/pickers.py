"""The person picker: how every form picks people without listing the whole organization.

A ``<select>`` of every active person made each form that picks someone take about a second and
a megabyte in an organization of 10,000. Instead a person is typed: their e-mail address, or
their full name when only one person who may be picked has it. While typing, htmx fills a
``<datalist>`` under the input with up to 20 matches (orgs:people_options); without JavaScript
the text input works alone. ``PersonField`` picks one person; ``PeopleField`` several: those
chosen stay as ticked checkboxes (untick to remove) and one more input adds someone.

Groups are picked the same way (``GroupField``, ``GroupsField``, suggestions from
orgs:group_options): typed as their name or their short name (slug), in any case.

Each field checks what is posted against ``people``, a queryset that starts from the organization
(``offer``): another organization's address is not found, a field error like any typo. Rendering
and checking take a fixed number of queries, whatever the size of the organization.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lodestar.orgs.models import Group, Membership

PEOPLE_POSTED_MAX = 100  # people one PeopleField takes in one post
GROUPS_POSTED_MAX = 100  # groups one GroupsField takes in one post
_TEXT_MAX = 254  # the longest e-mail address; full names are shorter
_ADDRESS_IN_BRACKETS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$")  # a pasted "Max Member <max@acme.test>"


@dataclass(frozen=True)
class Suggestion:
    """One person as an ``<option>`` of the picker's datalist."""

    email: str
    name: str
    job_title: str

    @classmethod
    def of(cls, person: Membership) -> "Suggestion":
        return cls(person.user.email, person.user.full_name, person.job_title)


def options_url(organization, *, holders_only: bool = False) -> str:
    """Where the picker asks for suggestions; ``holders_only`` leaves out viewers (who cannot
    lead, own or contribute to goals)."""
    url = reverse("orgs:people_options", kwargs={"org_slug": organization.slug})
    return f"{url}?holders=1" if holders_only else url


def _search_url(options: str, name: str) -> str:
    """The suggestions URL for one input: htmx sends the input's value under its own name, and
    ``field`` tells the view which parameter that is."""
    return f"{options}{'&' if '?' in options else '?'}{urlencode({'field': name})}" if options else ""


def _typed(value) -> str:
    """What was typed, with runs of spaces made one; a pasted "Name <address>" counts as the address."""
    text = " ".join(str(value).split())
    match = _ADDRESS_IN_BRACKETS.search(text)
    return match.group(1) if match else text


def _searchable(text: str) -> bool:
    """Overlong text or control characters (PostgreSQL cannot even compare NUL) name nobody."""
    return len(text) <= _TEXT_MAX and not any(unicodedata.category(char) == "Cc" for char in text)


class _Picker:
    """What both fields share: the people they accept and a per-form memory of what names whom."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.people = None
        self._found, self._by_id = {}, {}

    def offer(self, people, *, organization, holders_only: bool = False) -> None:
        """Accept the people of ``people`` (a Membership queryset starting from ``organization``),
        and suggest the organization's active people (without viewers when ``holders_only``)."""
        self.people = people
        self._found, self._by_id = {}, {}
        self.widget.options_url = options_url(organization, holders_only=holders_only)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._found, copied._by_id = {}, {}
        return copied

    def find(self, texts) -> dict[str, list[Membership]]:
        """The people each text names, keyed by the text in lower case: the person with that
        e-mail address, or everyone with that full name. One query for all texts not seen before."""
        if self.people is None:
            raise ValueError(f"{type(self).__name__}: call offer() with the people to pick from first")
        missing = {text.lower() for text in texts if _searchable(text)} - self._found.keys()
        if missing:
            wanted = reduce(
                operator.or_,
                (Q(user__email__iexact=key) if "@" in key else Q(user__full_name__iexact=key) for key in missing),
            )
            found = {key: [] for key in missing}
            for person in self.people.filter(wanted).select_related("user").order_by("pk"):
                email, name = person.user.email.lower(), person.user.full_name.lower()
                if email in found:
                    found[email].append(person)
                if name in found and "@" not in name:
                    found[name].append(person)
            self._found.update(found)
        return {text.lower(): self._found.get(text.lower(), []) for text in texts}

    def by_ids(self, ids) -> dict[int, Membership]:
        """Initial values given as ids (one query for those not seen before)."""
        missing = {pk for pk in ids if isinstance(pk, int)} - self._by_id.keys()
        if missing:
            found = {person.pk: person for person in self.people.filter(pk__in=missing).select_related("user")}
            self._by_id.update({pk: found.get(pk) for pk in missing})
        return {pk: self._by_id[pk] for pk in ids if isinstance(pk, int) and self._by_id.get(pk) is not None}

    def person(self, text: str, found: dict[str, list[Membership]]) -> Membership:
        """The one person ``text`` names, or the field error that says why there is none."""
        matches = found.get(text.lower(), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": _shortened(text)}
            )
        code = "invalid_choice" if "@" in text else "unknown_name"
        raise ValidationError(self.error_messages[code], code=code, params={"value": _shortened(text)})


def _shortened(text: str) -> str:
    """Typed text quoted in a message: a page of it helps no one."""
    return text if len(text) <= 80 else f"{text[:79]}…"


def _chosen_pk(value):
    return getattr(value, "pk", value) or None


# --- one person -----------------------------------------------------------------------------------


class PersonInput(forms.TextInput):
    """A text input for a person's e-mail address with a datalist of suggestions, filled by htmx
    while typing. The person chosen shows as "Full Name <address>", and starts the datalist."""

    template_name = "components/person_input.html"
    options_url = ""

    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "spellcheck": "false", "placeholder": _("Name or e-mail address")}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Membership):  # the way mail programs write it, which the field reads back
            user = value.user
            return f"{user.full_name} <{user.email}>" if user.full_name else user.email
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["people"] = [Suggestion.of(value)] if isinstance(value, Membership) else []
        context["widget"]["search_url"] = _search_url(self.options_url, name)
        return context


class PersonField(_Picker, forms.Field):
    """One person of ``people``, typed as an e-mail address or a full name; cleans to a Membership."""

    widget = PersonInput
    default_error_messages = {
        "invalid_choice": _("No active person with this e-mail address in the organization."),
        "unknown_name": _("No one of this name in the organization: enter their e-mail address."),
        "ambiguous": _("Several people are called “%(value)s”: enter the e-mail address of the one you mean."),
    }

    def to_python(self, value) -> str:
        return "" if value in self.empty_values else _typed(value)

    def clean(self, value):
        text = self.to_python(value)
        self.validate(text)
        self.run_validators(text)
        if not text:
            return None
        return self.person(text, self.find([text]))

    def prepare_value(self, value):
        """A Membership to show: the initial one (or its id), or the one the posted text named."""
        if isinstance(value, Membership) or value in self.empty_values:
            return value
        if isinstance(value, int):
            return self.by_ids([value]).get(value, "")
        text = _typed(value)
        matches = self._found.get(text.lower(), [])
        return matches[0] if len(matches) == 1 else value

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            chosen = self.clean(data)
        except ValidationError:
            return True
        return _chosen_pk(chosen) != _chosen_pk(initial)


# --- several people --------------------------------------------------------------------------------


class PeopleInput(forms.Widget):
    """The people chosen as ticked checkboxes (untick to remove) and a text input to add someone,
    with the same datalist of suggestions; everything is posted under the field's name."""

    template_name = "components/people_input.html"
    use_fieldset = True
    options_url = ""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        return [str(value) for value in ([values] if isinstance(values, str | int) else values)]

    def value_omitted_from_data(self, data, files, name):
        return False  # like checkboxes: nothing posted means no one

    def format_value(self, value):
        return list(value or ())

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = context["widget"]["value"]
        people = [Suggestion.of(value) for value in values if isinstance(value, Membership)]
        typed = [value for value in values if not isinstance(value, Membership) and str(value).strip()]
        context["widget"].update(people=people, typed=typed or [""], search_url=_search_url(self.options_url, name))
        return context


class PeopleField(_Picker, forms.Field):
    """Several people of ``people``, each typed as an e-mail address or a full name; cleans to a
    list of Memberships (by name). Nothing posted is no one."""

    widget = PeopleInput
    default_error_messages = {
        "invalid_choice": _("No active person with the e-mail address “%(value)s” in the organization."),
        "unknown_name": _("No one called “%(value)s” in the organization: enter their e-mail address."),
        "ambiguous": _("Several people are called “%(value)s”: enter the e-mail address of the one you mean."),
        "too_many": _("Choose at most %(limit)d people."),
    }

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)

    def to_python(self, value) -> list[str]:
        texts, seen = [], set()
        for item in value if isinstance(value, list | tuple) else [value]:
            text = "" if item in self.empty_values else _typed(item)
            if text and text.lower() not in seen:
                seen.add(text.lower())
                texts.append(text)
        return texts

    def clean(self, value):
        texts = self.to_python(value)
        self.validate(texts)
        if len(texts) > PEOPLE_POSTED_MAX:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": PEOPLE_POSTED_MAX})
        found = self.find(texts)
        people, errors = {}, []
        for text in texts:
            try:
                person = self.person(text, found)
            except ValidationError as error:
                errors.append(error)
            else:
                people[person.pk] = person
        if errors:
            raise ValidationError(errors)
        return sorted(people.values(), key=_by_name)

    def prepare_value(self, value):
        """Memberships to show as ticked boxes, and what named no one as typed text."""
        values = list(value) if isinstance(value, list | tuple) else ([] if value in self.empty_values else [value])
        ids = self.by_ids([item for item in values if isinstance(item, int)])
        texts = [_typed(item) for item in values if isinstance(item, str) and item.strip()]
        found = {text.lower(): self._found.get(text.lower(), []) for text in texts}
        shown, typed = {}, []
        for item in values:
            if isinstance(item, Membership):
                shown[item.pk] = item
            elif isinstance(item, int):
                if item in ids:
                    shown[item] = ids[item]
            elif isinstance(item, str) and item.strip():
                matches = found[_typed(item).lower()]
                if len(matches) == 1:
                    shown[matches[0].pk] = matches[0]
                else:
                    typed.append(item)
        return [*sorted(shown.values(), key=_by_name), *typed]

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            chosen = self.clean(data)
        except ValidationError:
            return True
        return {person.pk for person in chosen} != {_chosen_pk(person) for person in initial or ()}


def _by_name(person: Membership):
    return (person.user.full_name.lower(), person.user.email)


# --- groups ---------------------------------------------------------------------------------------
# A group is typed as its short name (unique in the organization) or its name (not necessarily
# unique), in any case. Several groups of the typed name: the one whose short name was made from
# it (the first so named) is meant, else the person is asked for the short name. The datalist
# suggests short names, labelled with the name and the parent group.


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


def group_options_url(organization) -> str:
    return reverse("orgs:group_options", kwargs={"org_slug": organization.slug})


def group_text(group: Group) -> str:
    """How a chosen group shows in a text input: its name when that names it, else its short name."""
    return group.name if slugify(group.name)[:80] == group.slug else group.slug


def _group_typed(value) -> str:
    return " ".join(str(value).split())


class _GroupPicker:
    """What both group fields share: the groups they accept and a per-form memory of what names which."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.groups = None
        self.suggested_ids = []
        self._found, self._by_id = {}, {}

    def offer(self, groups, *, organization, suggested=()) -> None:
        """Accept the groups of ``groups`` (a Group queryset starting from ``organization``);
        ``suggested``: ids of groups a GroupsInput shows as checkboxes even when not chosen."""
        self.groups = groups.select_related("parent")
        self._found, self._by_id = {}, {}
        self.widget.options_url = group_options_url(organization)
        self.suggested_ids = [pk for pk in suggested if isinstance(pk, int)]

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._found, copied._by_id = {}, {}
        return copied

    def find(self, texts) -> dict[str, list[Group]]:
        """The groups each text may name, keyed by the text in lower case, the one meant first:
        the group with that short name, else those of that name. One query for the texts not seen before."""
        if self.groups is None:
            raise ValueError(f"{type(self).__name__}: call offer() with the groups to pick from first")
        missing = {text.lower() for text in texts if _searchable(text)} - self._found.keys()
        if missing:
            wanted = reduce(operator.or_, (Q(slug__iexact=key) | Q(name__iexact=key) for key in missing))
            by_slug, by_name = {}, {key: [] for key in missing}
            for group in self.groups.filter(wanted).order_by("pk"):
                self._by_id[group.pk] = group
                slug, name = group.slug.lower(), group.name.lower()
                if slug in missing:
                    by_slug[slug] = group
                if name in missing:
                    by_name[name].append(group)
            for key in missing:
                if key in by_slug:
                    self._found[key] = [by_slug[key]]
                else:
                    named = by_name[key]
                    original = [group for group in named if group.slug == slugify(key)[:80]]
                    self._found[key] = original if len(named) > 1 and original else named
        return {text.lower(): self._found.get(text.lower(), []) for text in texts}

    def by_ids(self, ids) -> dict[int, Group]:
        """Groups given as ids (one query for those not seen before)."""
        missing = {pk for pk in ids if isinstance(pk, int)} - self._by_id.keys()
        if missing:
            found = {group.pk: group for group in self.groups.filter(pk__in=missing)}
            self._by_id.update({pk: found.get(pk) for pk in missing})
        return {pk: self._by_id[pk] for pk in ids if isinstance(pk, int) and self._by_id.get(pk) is not None}

    def group(self, text: str, found: dict[str, list[Group]]) -> Group:
        """The one group ``text`` names, or the field error that says why there is none."""
        matches = found.get(text.lower(), [])
        if len(matches) == 1:
            return matches[0]
        code = "ambiguous" if matches else "invalid_choice"
        raise ValidationError(self.error_messages[code], code=code, params={"value": _shortened(text)})


def _by_group_name(group: Group):
    return (group.name.lower(), group.pk)


class GroupInput(forms.TextInput):
    """A text input for a group's name or short name with a datalist of suggestions, filled by htmx."""

    template_name = "components/group_input.html"
    options_url = ""

    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "spellcheck": "false", "placeholder": _("Group name or short name")}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        return group_text(value) if isinstance(value, Group) else super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [GroupSuggestion.of(value)] if isinstance(value, Group) else []
        context["widget"]["search_url"] = _search_url(self.options_url, name)
        return context


class GroupField(_GroupPicker, forms.Field):
    """One group of ``groups``, typed as its name or short name; cleans to a Group (or None)."""

    widget = GroupInput
    default_error_messages = {
        "invalid_choice": _("No group of this name or short name in the organization."),
        "ambiguous": _("Several groups are called “%(value)s”: enter the short name of the one you mean."),
    }

    def to_python(self, value) -> str:
        return "" if value in self.empty_values else _group_typed(value)

    def clean(self, value):
        text = self.to_python(value)
        self.validate(text)
        self.run_validators(text)
        if not text:
            return None
        return self.group(text, self.find([text]))

    def prepare_value(self, value):
        """A Group to show: the initial one (or its id), or the one the posted text named."""
        if isinstance(value, Group) or value in self.empty_values:
            return value
        if isinstance(value, int):
            return self.by_ids([value]).get(value, "")
        matches = self._found.get(_group_typed(value).lower(), [])
        return matches[0] if len(matches) == 1 else value

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            chosen = self.clean(data)
        except ValidationError:
            return True
        return _chosen_pk(chosen) != _chosen_pk(initial)


class GroupsInput(forms.Widget):
    """The groups chosen as ticked checkboxes (untick to remove), the suggested ones unticked, and
    a text input to add a group, with a datalist of suggestions; all posted under the field's name."""

    template_name = "components/groups_input.html"
    use_fieldset = True
    options_url = ""
    suggested = ()  # the Groups offered unticked, set by GroupsField.prepare_value

    value_from_datadict = PeopleInput.value_from_datadict
    value_omitted_from_data = PeopleInput.value_omitted_from_data
    format_value = PeopleInput.format_value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = context["widget"]["value"]
        chosen = {group.pk: group for group in values if isinstance(group, Group)}
        offered = {group.pk: group for group in self.suggested if isinstance(group, Group)}
        groups = [
            GroupSuggestion.of(group, checked=group.pk in chosen)
            for group in sorted({**offered, **chosen}.values(), key=_by_group_name)
        ]
        typed = [value for value in values if not isinstance(value, Group) and str(value).strip()]
        context["widget"].update(groups=groups, typed=typed or [""], search_url=_search_url(self.options_url, name))
        return context


class GroupsField(_GroupPicker, forms.Field):
    """Several groups of ``groups``, each typed as its name or short name; cleans to a list of
    Groups (by name). Nothing posted is none."""

    widget = GroupsInput
    default_error_messages = {
        "invalid_choice": _("No group called “%(value)s” in the organization."),
        "ambiguous": _("Several groups are called “%(value)s”: enter the short name of the one you mean."),
        "too_many": _("Choose at most %(limit)d groups."),
    }

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)

    def to_python(self, value) -> list[str]:
        texts, seen = [], set()
        for item in value if isinstance(value, list | tuple) else [value]:
            text = "" if item in self.empty_values else _group_typed(item)
            if text and text.lower() not in seen:
                seen.add(text.lower())
                texts.append(text)
        return texts

    def clean(self, value):
        texts = self.to_python(value)
        self.validate(texts)
        if len(texts) > GROUPS_POSTED_MAX:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": GROUPS_POSTED_MAX})
        found = self.find(texts)
        groups, errors = {}, []
        for text in texts:
            try:
                group = self.group(text, found)
            except ValidationError as error:
                errors.append(error)
            else:
                groups[group.pk] = group
        if errors:
            raise ValidationError(errors)
        return sorted(groups.values(), key=_by_group_name)

    def chosen_ids(self, value) -> set[int]:
        """The ids of the groups a posted value names, ignoring what names none."""
        texts = self.to_python(value)[:GROUPS_POSTED_MAX]
        return {matches[0].pk for matches in self.find(texts).values() if len(matches) == 1}

    def prepare_value(self, value):
        """Groups to show as ticked boxes, and what named none as typed text; also reads the
        suggested groups for the widget (in the same query as initial ids)."""
        values = list(value) if isinstance(value, list | tuple) else ([] if value in self.empty_values else [value])
        ids = self.by_ids([*(item for item in values if isinstance(item, int)), *self.suggested_ids])
        self.widget.suggested = [ids[pk] for pk in self.suggested_ids if pk in ids]
        shown, typed = {}, []
        for item in values:
            if isinstance(item, Group):
                shown[item.pk] = item
            elif isinstance(item, int):
                if item in ids:
                    shown[item] = ids[item]
            elif isinstance(item, str) and item.strip():
                matches = self._found.get(_group_typed(item).lower(), [])
                if len(matches) == 1:
                    shown[matches[0].pk] = matches[0]
                else:
                    typed.append(item)
        return [*sorted(shown.values(), key=_by_group_name), *typed]

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            chosen = self.clean(data)
        except ValidationError:
            return True
        return {group.pk for group in chosen} != {_chosen_pk(group) for group in initial or ()}
