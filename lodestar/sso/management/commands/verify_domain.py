"""``lodestar verify_domain --organization acme example.com``: the instance operator vouches that an
organization owns an e-mail domain (instead of its DNS record). A domain another organization has
verified is refused."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lodestar.core.scoping import organization_scope
from lodestar.orgs.models import Organization
from lodestar.sso.services import verify_domain_as_operator


class Command(BaseCommand):
    help = "Mark an e-mail domain as verified for an organization's single sign-on."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="The organization's short name (slug).")
        parser.add_argument("domain")

    def handle(self, *args, organization, domain, **options):
        found = Organization.objects.filter(slug=organization).first()
        if found is None:
            raise CommandError(f"No organization “{organization}”.")
        with organization_scope(found):
            try:
                verified = verify_domain_as_operator(organization=found, domain=domain)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{verified.domain} is verified for {found.name}.")
