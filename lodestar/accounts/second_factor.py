"""Two-step sign-in (allauth.mfa) as Lodestar runs it: whether a person has a second factor, and the
adapter that keeps authenticator-app secrets and recovery-code seeds encrypted at rest.

A second factor is an authenticator app (TOTP) or a passkey / security key (WebAuthn); recovery
codes only back those up (allauth deletes them with the last real factor).
"""

import base64

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"lodestar.accounts.second-factor.v1"
_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user) -> bool:
    """Whether ``user`` signs in with an authenticator app or a passkey besides their password."""
    if user is None or not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type__in=_FACTORS).exists()


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    """The current SECRET_KEY encrypts; it and SECRET_KEY_FALLBACKS decrypt, so rotating the key
    (old one moved to the fallbacks) keeps everyone's authenticator app working."""
    return MultiFernet([_fernet(key) for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]])


class SecondFactorAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter: secrets encrypted with a key derived from SECRET_KEY (a stolen database
    dump alone cannot produce codes), and Lodestar as the name passkeys show."""

    def encrypt(self, text: str) -> str:
        return _keys().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _keys().decrypt(encrypted_text.encode()).decode()
        except (InvalidToken, ValueError) as error:
            raise ValueError(
                "A two-step sign-in secret cannot be decrypted: SECRET_KEY changed without the old key "
                "in SECRET_KEY_FALLBACKS."
            ) from error

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "Lodestar"
        return entity
