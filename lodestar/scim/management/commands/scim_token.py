"""``lodestar scim_token --organization SLUG [--name NAME]``: make a SCIM provisioning token and
print it (once); ``--revoke`` revokes the organization's live tokens (or the one ``--name``s)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from lodestar.core.scoping import organization_scope
from lodestar.orgs.models import Organization
from lodestar.scim import services
from lodestar.scim.models import ScimToken


class Command(BaseCommand):
    help = "Make a SCIM provisioning token for an organization (printed once), or revoke its tokens."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="The organization's short name (slug).")
        parser.add_argument("--name", default="Identity provider", help="What the token is for.")
        parser.add_argument("--revoke", action="store_true", help="Revoke live tokens instead (all, or --name's).")

    def handle(self, *args, organization, name, revoke, **options):
        found = Organization.objects.filter(slug=organization).first()
        if found is None:
            raise CommandError(f"No organization has the short name {organization!r}.")
        with organization_scope(found):
            if revoke:
                live = ScimToken.objects.filter(organization=found, revoked_at=None)
                tokens = list(live.filter(name=name) if name != "Identity provider" else live)
                for token in tokens:
                    services.revoke_token(actor=None, token=token)
                self.stdout.write(f"Revoked {len(tokens)} token(s) of {found.slug}.")
                return
            token, text = services.create_token(actor=None, organization=found, name=name)
        self.stdout.write(f"SCIM base URL: {settings.LODESTAR_BASE_URL}{reverse('scim_root')}")
        self.stdout.write(f"Token “{token.name}” (shown once, keep it in your identity provider):")
        self.stdout.write(text)
