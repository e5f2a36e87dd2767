"""First-run setup: while an instance has no organization but the demo, whoever holds its setup
token (printed by `make run` and in the server's log, as Grafana and Jupyter do) creates the
first real organization and its owner in the browser."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lodestar.accounts.addresses import holder_of, mark_confirmed
from lodestar.core.events import publish
from lodestar.core.scoping import organization_scope
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.orgs import services as orgs
from lodestar.orgs.events import OrganizationSettingsSaved
from lodestar.orgs.models import Membership, Organization

# The demo organization (lodestar.demo.content) does not count as a real one.
DEMO_ORGANIZATION_SLUG = "vektor"


def is_open() -> bool:
    return not Organization.objects.exclude(slug=DEMO_ORGANIZATION_SLUG).exists()


def token() -> str:
    """Derived from SECRET_KEY: stable across restarts, unknown to anyone without the server."""
    return salted_hmac("lodestar.setup", "first-run setup", algorithm="sha256").hexdigest()[:32]


def token_matches(candidate: str) -> bool:
    return constant_time_compare(candidate, token())


def setup_url() -> str | None:
    """The setup link while setup is open, else None."""
    if not is_open():
        return None
    return f"{settings.LODESTAR_BASE_URL}{reverse('setup')}?token={token()}"


@atomic_service
def set_up(*, name, slug, language, time_zone, full_name, email, password1, **_fields):
    """The first organization and its owner, signed in with the password given. The operator holds
    the server: the address they type counts as confirmed."""
    if not is_open():
        raise ValidationError(_("This instance is set up already."))
    if holder_of(email) is not None:
        raise ValidationError({"email": [_("Another account uses this address.")]})
    user = get_user_model()(
        email=email.lower(), full_name=clean_text(full_name, field="full_name", max_length=150, required=True)
    )
    user.set_password(password1)
    user.save()
    mark_confirmed(user, user.email)
    organization = orgs.create_organization(name=name, slug=slug, owner=user, language=language, time_zone=time_zone)
    _chose_settings(organization, user)
    return organization, user


def _chose_settings(organization, user) -> None:
    """The owner chose name, language and time zone while starting it (the checklist's first step)."""
    with organization_scope(organization):  # the setup page runs outside any organization
        owner = Membership.objects.get(organization=organization, user=user)
        publish(OrganizationSettingsSaved(actor=owner, organization=organization))
