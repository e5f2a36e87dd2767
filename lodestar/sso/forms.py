from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lodestar.sso import saml
from lodestar.sso.models import JoinPolicy
from lodestar.sso.services import requires_sso_for_address


class ProviderForm(forms.Form):
    issuer = forms.CharField(
        label=_("Issuer URL"),
        max_length=500,
        help_text=_(
            "For example https://login.microsoftonline.com/<tenant id>/v2.0, https://accounts.google.com, "
            "https://<company>.okta.com or https://<host>/realms/<realm>."
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=2000,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    display_name = forms.CharField(
        label=_("Button label"),
        max_length=80,
        required=False,
        help_text=_("Shown to people as “Continue with …”. Empty: the organization's name."),
    )

    def __init__(self, *args, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_secret:
            self.fields["client_secret"].label = _("Replace client secret")
            self.fields["client_secret"].help_text = _(
                "The stored secret is never shown again. Leave this empty to keep it."
            )
        else:
            self.fields["client_secret"].required = True


class SamlProviderForm(forms.Form):
    metadata = forms.CharField(
        label=_("Identity provider metadata (XML)"),
        max_length=saml.MAX_METADATA_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "code-input"}),
        help_text=_(
            "Paste the federation metadata document: Entra ID calls it “Federation Metadata XML”, Okta “IdP "
            "metadata”, Google Workspace “IdP metadata”. Lodestar reads the entity ID, the sign-in URL and the "
            "signing certificate from it."
        ),
    )
    display_name = ProviderForm.base_fields["display_name"]

    def __init__(self, *args, connected: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if connected:
            self.fields["metadata"].required = False
            self.fields["metadata"].label = _("New metadata (XML)")
            self.fields["metadata"].help_text = _("Leave this empty to keep the metadata read before.")


class PolicyForm(forms.Form):
    join_policy = forms.ChoiceField(
        label=_("Who may join through single sign-on"), choices=JoinPolicy.choices, widget=forms.RadioSelect
    )
    sso_required = forms.BooleanField(
        label=_("Require single sign-on"),
        required=False,
        help_text=_(
            "Members sign in only through the identity provider: password sign-in and password reset are off for "
            "them. Owners keep their password (and second factor) as a way in when the provider is down."
        ),
    )


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Domain"), max_length=253, help_text=_("For example example.com."))


class StartForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail address"), max_length=254)


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form; a failed password sign-in with an address of a domain whose
    organization requires single sign-on points to single sign-on (``sso_hint``)."""

    sso_hint = ""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            email = self.cleaned_data.get("login")
            if isinstance(email, str) and requires_sso_for_address(email) is not None:
                self.sso_hint = email
            raise
