"""allauth's e-mail address forms, as Lodestar needs them (ACCOUNT_FORMS)."""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.accounts.addresses import is_taken


class AddEmailForm(AllauthAddEmailForm):
    """allauth's form for a new sign-in address, which says so next to the field when another
    account uses the address (allauth, to hide who has an account, would accept it and fail later
    when the address becomes the sign-in address)."""

    def clean_email(self) -> str:
        value = super().clean_email()
        if is_taken(value, by_other_than=self.user):
            raise ValidationError(_("Another account uses this address."))
        return value
