"""Importing people from a spreadsheet: upload and preview, apply, send the invitations later."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lodestar.core.errors import NotAllowed
from lodestar.core.events import publish
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.onboarding.events import ImportInvitationsSent, PeopleImportApplied
from lodestar.onboarding.models import VALID_FOR, Invitation, PeopleImport
from lodestar.onboarding.people_import.applying import queue_emails, write_plan
from lodestar.onboarding.people_import.planning import Plan, plan_import
from lodestar.onboarding.people_import.reading import read_people_file
from lodestar.orgs.models import Membership, Organization

# Previews nobody applied are forgotten after a week (they hold names and addresses).
KEEP_PREVIEWS = datetime.timedelta(days=7)


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can import people."))


@atomic_service
def preview_people_import(
    *, actor: Membership, file_name: str, data: bytes, send_invitations: bool = True, deactivate_missing: bool = False
) -> PeopleImport:
    """Read an uploaded file and plan it; nothing about people changes. The rows stay on the server
    (the browser only names the import) until the admin applies them."""
    _require_admin(actor)
    file_name = clean_text(file_name, field="file", max_length=500).replace("\\", "/").rsplit("/", 1)[-1][:200]
    table = read_people_file(file_name, data)
    plan = plan_import(actor=actor, rows=table.rows, deactivate_missing=deactivate_missing)
    PeopleImport.objects.filter(
        organization_id=actor.organization_id,
        state=PeopleImport.State.PREVIEWED,
        created_at__lt=timezone.now() - KEEP_PREVIEWS,
    ).delete()
    return PeopleImport.objects.create(
        organization_id=actor.organization_id,
        uploaded_by=actor,
        file_name=file_name or "people.csv",
        rows=table.rows,
        columns=table.columns,
        ignored_columns=table.ignored,
        preview=plan.as_preview(),
        digest=plan.digest(),
        send_invitations=bool(send_invitations),
        deactivate_missing=bool(deactivate_missing),
    )


@dataclass
class ImportOutcome:
    """What applying did: ``applied``, or the plan changed since the preview (then the import's
    preview is renewed and nothing else is saved)."""

    applied: bool
    people_import: PeopleImport
    result: dict


@atomic_service
def apply_people_import(
    *,
    actor: Membership,
    people_import: PeopleImport,
    send_invitations: bool,
    deactivate_missing: bool,
    skip_errors: bool = False,
) -> ImportOutcome:
    """Import what the preview showed, all at once: new people invited (the e-mails sent now, or
    later by choice), changes saved, the people missing from the file deactivated when asked. The
    file is planned again against the organization as it is now; when that differs from the preview,
    nothing is imported and the preview shows the new plan. Rows with errors stop everything unless
    the admin chose to skip them."""
    _require_admin(actor)
    require_same_organization(actor, people_import)
    # One import (or change to people) at a time per organization.
    Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
    people_import = PeopleImport.objects.select_for_update().get(
        organization_id=actor.organization_id, pk=people_import.pk
    )
    if people_import.state != PeopleImport.State.PREVIEWED:
        raise ValidationError({"import": [_("This file has been imported already.")]})
    plan = plan_import(actor=actor, rows=people_import.rows, deactivate_missing=bool(deactivate_missing))
    if plan.digest() != people_import.digest:
        _renew(people_import, plan, send_invitations, deactivate_missing)
        return ImportOutcome(applied=False, people_import=people_import, result={})
    errors = plan.error_rows
    if errors and not skip_errors:
        raise ValidationError(
            {
                "skip_errors": [
                    ngettext(
                        "%(count)d row has errors: correct the file and upload it again, or skip it.",
                        "%(count)d rows have errors: correct the file and upload it again, or skip those rows.",
                        len(errors),
                    )
                    % {"count": len(errors)}
                ]
            }
        )
    try:
        result = write_plan(actor=actor, plan=plan, send=bool(send_invitations))
    except IntegrityError:  # someone else made the same account, group or invitation this very moment
        raise ValidationError(
            {"import": [_("People or groups changed while importing. Upload the file again to see the new preview.")]}
        ) from None
    result["skipped"] = len(errors)
    people_import.state, people_import.applied_at, people_import.result = (
        PeopleImport.State.APPLIED,
        timezone.now(),
        result,
    )
    people_import.send_invitations, people_import.deactivate_missing = bool(send_invitations), bool(deactivate_missing)
    people_import.save(update_fields=["state", "applied_at", "result", "send_invitations", "deactivate_missing"])
    publish(PeopleImportApplied(actor=actor, people_import=people_import))
    return ImportOutcome(applied=True, people_import=people_import, result=result)


def _renew(people_import: PeopleImport, plan: Plan, send_invitations, deactivate_missing) -> None:
    people_import.preview, people_import.digest = plan.as_preview(), plan.digest()
    people_import.send_invitations, people_import.deactivate_missing = bool(send_invitations), bool(deactivate_missing)
    people_import.save(update_fields=["preview", "digest", "send_invitations", "deactivate_missing"])


def unsent_invitations(people_import: PeopleImport):
    """The open invitations of an applied import that were never sent."""
    return Invitation.objects.filter(
        organization_id=people_import.organization_id,
        pk__in=people_import.result.get("invitations", []),
        state=Invitation.State.PENDING,
        sent_at__isnull=True,
    )


@atomic_service
def send_import_invitations(*, actor: Membership, people_import: PeopleImport) -> int:
    """Send the invitations an import made without sending them; how many went out."""
    _require_admin(actor)
    require_same_organization(actor, people_import)
    people_import = PeopleImport.objects.get(organization_id=actor.organization_id, pk=people_import.pk)
    invitations = list(unsent_invitations(people_import).select_for_update())
    if not invitations:
        return 0
    now = timezone.now()
    Invitation.objects.filter(
        organization_id=actor.organization_id, pk__in=[invitation.pk for invitation in invitations]
    ).update(sent_at=now, expires_at=now + VALID_FOR)  # valid from the day it is sent
    queue_emails(invitations, now)
    PeopleImport.objects.filter(organization_id=actor.organization_id, pk=people_import.pk).update(
        send_invitations=True
    )
    publish(ImportInvitationsSent(actor=actor, people_import=people_import, count=len(invitations)))
    return len(invitations)
