"""Forms parse what people type; the services decide whether it is allowed and valid."""

import calendar
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.okrs.models import CheckInStatus, KeyResult, Timeframe

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
