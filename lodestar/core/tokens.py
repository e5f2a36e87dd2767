"""Secrets shown once and stored only as a digest (API tokens, the secret URLs of data feeds)."""

import hashlib
import hmac

from django.contrib import messages
from django.utils.translation import gettext as _


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret_hash: str, secret: str) -> bool:
    """Whether ``secret`` is the one stored as ``secret_hash`` (in constant time)."""
    return hmac.compare_digest(secret_hash, digest(secret))


def show_token_once(request, session_key: str, *, name: str, text: str) -> None:
    """Keep a token's text for the page the redirect leads to, which shows it once (``shown_once``)."""
    request.session[session_key] = text
    messages.success(request, _("The token “%(name)s” is made. Copy it now: it is not shown again.") % {"name": name})


def shown_once(request, session_key: str) -> str | None:
    """The text ``show_token_once`` kept, taken out of the session as it is read (a POST's page shows none)."""
    return request.session.pop(session_key, None) if request.method == "GET" else None
