"""Provisioning in the security tests' world: a SCIM token of Acme, made on first use (the URL
walker's ``scim_token_id``, the role table's revoke form)."""

from lodestar.scim.models import ScimToken


def with_scim(world):
    if getattr(world, "scim_token", None) is None:
        world.scim_token = ScimToken.objects.create(
            organization=world.cast.acme, name="Entra ID", prefix="0123456789ab", secret_hash="0" * 64
        )
    return world


def token_fields(world):
    return {"name": "Okta"}


def no_fields(world):
    return {}
