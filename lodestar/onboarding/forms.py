import zoneinfo
from email.utils import getaddresses

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lodestar.onboarding.services import clean_address
from lodestar.orgs.forms import groups_of, people_of
from lodestar.orgs.models import Membership, Role
from lodestar.orgs.pickers import GroupsField, PersonField

INVITE_AT_ONCE_MAX = 200


def parse_addresses(text: str) -> list[tuple[str, str]]:
    """(address, name) pairs from what people paste: one per line or separated by commas or
    semicolons, plain or as ``Name <address>`` (as mail programs copy them)."""
    chunks = text.replace(";", ",").replace("\n", ",").split(",")
    return [(address.strip(), name.strip()) for name, address in getaddresses(chunks) if address.strip()]


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "anna.schmidt@example.com, Jonas Weber <jonas@example.com>"}
        ),
        help_text=_("One or many: one per line or separated by commas. “Name <address>” sets the name too."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        initial=Role.MEMBER,
        help_text=_("Members set and update goals, viewers only read, admins manage people, groups and timeframes."),
    )
    groups = GroupsField(label=_("Groups"), help_text=_("Everyone invited joins these groups as a member."))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    manager = PersonField(label=_("Manager"), required=False)
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the invitation e-mail."),
    )

    def __init__(self, *args, actor: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if value != Role.OWNER or actor.role == Role.OWNER
        ]
        organization = actor.organization
        self.fields["manager"].offer(people_of(organization.pk).filter(is_active=True), organization=organization)
        self.fields["groups"].offer(groups_of(organization.pk), organization=organization)

    def clean_addresses(self) -> list[tuple[str, str]]:
        entries = parse_addresses(self.cleaned_data["addresses"])
        if not entries:
            raise ValidationError(_("Enter at least one e-mail address."))
        if len(entries) > INVITE_AT_ONCE_MAX:
            raise ValidationError(
                _("Invite at most %(limit)d people at once, or import a spreadsheet.") % {"limit": INVITE_AT_ONCE_MAX}
            )
        wrong, cleaned = [], []
        for address, name in entries:
            try:
                cleaned.append((clean_address(address), name[:150]))
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(
                ngettext(
                    "This is not an e-mail address: %(list)s",
                    "These are not e-mail addresses: %(list)s",
                    len(wrong),
                )
                % {"list": ", ".join(wrong[:10])}
            )
        return list({address: (address, name) for address, name in cleaned}.values())


def language_choices():
    return [(code, _(name)) for code, name in settings.LANGUAGES]


def time_zone_choices():
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    return [("UTC", "UTC"), *((zone, zone) for zone in zones)]


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Organization name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_("Part of every address in it, e.g. /acme/. Empty: made from the name."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Europe/Berlin")


class SetPasswordFields(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class AcceptForm(SetPasswordFields):
    """A new person accepts: their name and a password."""


class SetupForm(OrganizationForm, SetPasswordFields):
    """First-run setup: the organization and its first owner."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field_order = ["name", "slug", "language", "time_zone", "full_name", "email", "password1", "password2"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and not self.errors.get("password2"):
            try:
                password_validation.validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class PeopleImportForm(forms.Form):
    """Upload a people spreadsheet: what it is, and what the import should do beyond the rows."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV or Excel workbook (.xlsx), at most 5 MB and 20,000 people, one person per row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,text/csv"}),
    )
    send_invitations = forms.BooleanField(
        label=_("Send the invitations when importing"),
        required=False,
        initial=True,
        help_text=_("Otherwise new people are added without an e-mail; send the invitations later from here."),
    )
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate people missing from the file"),
        required=False,
        initial=False,
        help_text=_("The preview lists them either way. Deactivated people keep their history."),
    )


class ApplyPeopleImportForm(forms.Form):
    send_invitations = forms.BooleanField(label=_("Send the invitations now"), required=False)
    deactivate_missing = forms.BooleanField(label=_("Deactivate the people missing from the file"), required=False)
    skip_errors = forms.BooleanField(label=_("Skip the rows with errors and import the others"), required=False)
