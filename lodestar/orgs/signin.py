"""What happens when a person signs in: someone who has not chosen a language starts in their
browser's, when an organization of theirs allows it (``Organization.use_browser_language``) and
Lodestar speaks that language. Stored on the account, so e-mails follow it too; the person can
change it on their settings page like any other choice."""

from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from lodestar.accounts.services import is_offered_language, start_in_language
from lodestar.orgs.models import Organization


def browser_language(request) -> str | None:
    """The first language of the request's Accept-Language, by preference, that Lodestar ships (a
    regional variant counts: de-AT is German), else None. The site's default language is not a
    browser's choice: a header naming no language Lodestar speaks gives None, not English."""
    header = request.headers.get("Accept-Language", "")
    for code, quality in parse_accept_lang_header(header):
        if quality <= 0:
            continue  # q=0: "not this one" (RFC 9110)
        try:
            language = get_supported_language_variant(code)
        except LookupError:
            continue
        if is_offered_language(language):
            return language
    return None


def adopt_browser_language(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver (connected in OrgsConfig.ready)."""
    if request is None or user.language:
        return
    language = browser_language(request)
    if language is None:
        return
    allowed = Organization.objects.filter(
        memberships__user=user, memberships__is_active=True, use_browser_language=True
    ).exists()
    if allowed:
        start_in_language(user=user, language=language)
