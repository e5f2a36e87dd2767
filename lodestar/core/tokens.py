"""Secrets shown once and stored only as a digest (API tokens, the secret URLs of data feeds)."""

import hashlib
import hmac


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret_hash: str, secret: str) -> bool:
    """Whether ``secret`` is the one stored as ``secret_hash`` (in constant time)."""
    return hmac.compare_digest(secret_hash, digest(secret))
