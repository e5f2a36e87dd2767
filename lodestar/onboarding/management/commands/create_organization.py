"""``lodestar create_organization --name "Acme GmbH" --owner-email anna@acme.example``: a new
organization and its first owner, with the one-time link where the owner sets a password."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lodestar.core.scoping import organization_scope
from lodestar.onboarding.models import VALID_FOR
from lodestar.onboarding.services import invitation_url, start_organization


class Command(BaseCommand):
    help = "Create an organization with its first owner and print the owner's link to set a password."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--slug", default="", help="Short name in its addresses (default: made from the name).")
        parser.add_argument("--language", default="en")
        parser.add_argument("--time-zone", default="Europe/Berlin")

    def handle(self, *args, name, owner_email, slug, language, time_zone, **options):
        try:
            organization, invitation = start_organization(
                name=name, owner_email=owner_email, slug=slug, language=language, time_zone=time_zone
            )
        except ValidationError as error:
            raise CommandError(" ".join(_messages(error))) from None
        self.stdout.write(f"Created the organization “{organization.name}” at /{organization.slug}/.")
        if invitation is None:
            self.stdout.write(f"{owner_email} has an account already: they sign in as usual and find it there.")
            return
        with organization_scope(organization):
            url = invitation_url(invitation)
        self.stdout.write(f"Send this link to {owner_email} (valid for {VALID_FOR.days} days, once): there they")
        self.stdout.write("choose a password and land in the new organization.")
        self.stdout.write(url)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
    return error.messages
