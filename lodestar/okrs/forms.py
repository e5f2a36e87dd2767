"""Forms parse what people type; the services decide whether it is allowed and valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.okrs.models import CheckInStatus, KeyResult

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
