"""``lodestar import_people people.csv --organization acme [--dry-run] [--no-invite]
[--deactivate-missing] [--skip-errors] [--as anna@acme.example]``: the spreadsheet import for
scripts. Prints the same preview as the page; applies it unless --dry-run. Exits with 1 when rows
have errors (then nothing is imported, unless --skip-errors imports the others)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Lower

from lodestar.core.scoping import organization_scope
from lodestar.onboarding.people_import import presenting, services
from lodestar.onboarding.people_import.reading import MAX_BYTES
from lodestar.orgs.models import Membership, Organization, Role


class Command(BaseCommand):
    help = "Import people and the organization chart from a CSV or XLSX file (a preview first)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A CSV or XLSX file, one person per row, the first row naming the columns.")
        parser.add_argument("--organization", required=True, help="The organization's short name (slug).")
        parser.add_argument("--dry-run", action="store_true", help="Only print the preview; save nothing.")
        parser.add_argument("--no-invite", action="store_true", help="Add new people without sending invitations.")
        parser.add_argument(
            "--deactivate-missing", action="store_true", help="Deactivate active people who are not in the file."
        )
        parser.add_argument(
            "--skip-errors",
            action="store_true",
            help="Import the rows without errors all the same (the exit code is still 1 when rows had errors).",
        )
        parser.add_argument(
            "--as", dest="as_email", default="", help="The owner or admin importing (default: the first owner)."
        )

    def handle(
        self, *args, file, organization, dry_run, no_invite, deactivate_missing, skip_errors, as_email, **options
    ):
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"No organization with the short name “{organization}”.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"The file is larger than {MAX_BYTES // 2**20} MB: split it.")
        with organization_scope(org):
            actor = self._actor(org, as_email)
            try:
                people_import = services.preview_people_import(
                    actor=actor,
                    file_name=path.name,
                    data=path.read_bytes(),
                    send_invitations=not no_invite,
                    deactivate_missing=deactivate_missing,
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            for line in presenting.as_text(people_import):
                self.stdout.write(line)
            errors = people_import.preview["summary"].get("error", 0)
            if dry_run:
                self.stdout.write("Dry run: nothing was saved.")
                if errors:
                    raise SystemExit(1)
                return
            if errors and not skip_errors:
                self.stderr.write(
                    f"{errors} rows have errors: nothing was imported. Correct the file, or import the other "
                    "rows with --skip-errors."
                )
                raise SystemExit(1)
            try:
                outcome = services.apply_people_import(
                    actor=actor,
                    people_import=people_import,
                    send_invitations=not no_invite,
                    deactivate_missing=deactivate_missing,
                    skip_errors=skip_errors,
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        if not outcome.applied:
            raise CommandError("People or groups changed while importing; run the command again.")
        result = outcome.result
        self.stdout.write(
            f"Imported: {result['new']} new, {result['invited']} invited, {result['changed']} changed, "
            f"{result['groups']} new groups, {result['deactivated']} deactivated; "
            f"{result['sent']} invitation e-mails queued (the worker sends them)."
        )
        if errors:
            self.stderr.write(f"Skipped {errors} rows with errors.")
            raise SystemExit(1)

    def _actor(self, org, as_email: str) -> Membership:
        people = Membership.objects.filter(organization=org, is_active=True).select_related("user", "organization")
        if as_email:
            actor = people.annotate(address=Lower("user__email")).filter(address=as_email.strip().lower()).first()
            if actor is None or not actor.is_admin:
                raise CommandError(f"{as_email} is no active owner or admin of {org.slug}.")
            return actor
        actor = people.filter(role=Role.OWNER).order_by("joined_at", "pk").first()
        if actor is None:
            raise CommandError(f"{org.slug} has no active owner: name an admin with --as.")
        return actor
