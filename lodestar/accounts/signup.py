"""The extra sign-up field. allauth imports this module while it builds its own forms: it must not
import allauth.account.forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupDetails(forms.Form):
    """What sign-up asks besides allauth's address and password (LODESTAR_OPEN_SIGNUP)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
