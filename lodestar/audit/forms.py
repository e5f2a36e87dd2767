"""The audit log page's filters, read from the query string (any subset may be set)."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lodestar.audit import presenting
from lodestar.orgs.models import Membership
from lodestar.orgs.pickers import PersonField


@dataclass(frozen=True)
class LogFilters:
    """What the log is narrowed to: action codes (empty: all), a person who acted or was acted on,
    and a time range [since, until)."""

    actions: tuple[str, ...] = ()
    person: Membership | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None

    @property
    def any(self) -> bool:
        return bool(self.actions or self.person or self.since or self.until)


class DateInput(forms.DateInput):
    input_type = "date"


class LogFilterForm(forms.Form):
    FIELDS = ("action", "person", "since", "until")

    action = forms.ChoiceField(label=_("What"), required=False)
    person = PersonField(label=_("Person"), required=False, help_text=_("Who acted, or whom it was about."))
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, query, *, viewer: Membership):
        super().__init__(query if any(query.get(name) for name in self.FIELDS) else None)
        self.fields["action"].choices = presenting.action_choices()
        people = Membership.objects.filter(organization_id=viewer.organization_id)  # deactivated people acted too
        self.fields["person"].offer(people, organization=viewer.organization)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise ValidationError({"until": _("Choose a day on or after the first day.")})
        return cleaned

    def filters(self) -> LogFilters:
        """The filters that are valid (in the reader's time zone, whole days); an invalid one gets
        its message next to its field and narrows nothing."""
        if not self.is_bound:
            return LogFilters()
        self.is_valid()
        cleaned = self.cleaned_data
        since, until = cleaned.get("since"), cleaned.get("until")
        return LogFilters(
            actions=tuple(presenting.actions_in(cleaned["action"])) if cleaned.get("action") else (),
            person=cleaned.get("person"),
            since=_start_of(since) if since else None,
            until=_start_of(until + datetime.timedelta(days=1)) if until else None,
        )

    def query(self) -> dict[str, str]:
        """The filters as typed, for the page links to carry on."""
        if not self.is_bound:
            return {}
        return {name: self.data[name] for name in self.FIELDS if self.data.get(name)}


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
