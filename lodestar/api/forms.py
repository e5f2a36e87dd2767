from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What it is for, e.g. “Finance dashboard import”.")
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=ApiToken.Scope.choices, widget=forms.RadioSelect, initial="read"
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until you revoke it."),
    )
