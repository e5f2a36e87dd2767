"""Every write to a person's own account: their name, language and time zone.

These settings are the person's, not an organization's: they apply in every organization the
person belongs to. The acting person is the account itself, so there is nobody else to check.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.accounts.models import validate_time_zone
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text


def is_offered_language(code: str) -> bool:
    """A language Lodestar is translated into (``settings.LANGUAGES``)."""
    return code in dict(settings.LANGUAGES)


@atomic_service
def update_personal_settings(*, user, full_name: str, language: str, time_zone: str):
    """A person changes their own full name (required), language and time zone. An empty language
    or time zone means "the organization's": each organization's own applies there."""
    full_name = clean_text(full_name, field="full_name", max_length=150, required=True)
    language = "" if language is None else str(language)
    if language and not is_offered_language(language):
        raise ValidationError({"language": [_("Choose one of the offered languages.")]})
    time_zone = "" if time_zone is None else str(time_zone)
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    account.full_name, account.language, account.time_zone = full_name, language, time_zone
    account.save(update_fields=["full_name", "language", "time_zone"])
    user.full_name, user.language, user.time_zone = full_name, language, time_zone
    return account


@atomic_service
def start_in_language(*, user, language: str) -> bool:
    """Give a person who has not chosen a language this one (their browser's, when an organization
    of theirs allows it). A language chosen meanwhile is never overwritten. True when stored."""
    if not is_offered_language(language):
        return False
    stored = get_user_model().objects.filter(pk=user.pk, language="").update(language=language) == 1
    if stored:
        user.language = language
    return stored
