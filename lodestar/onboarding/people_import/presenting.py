"""Reading imports for their pages and the command line: the recent imports, a preview's rows in
the order an admin needs them (errors first), and each change said in words."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lodestar.core.errors import NotFound
from lodestar.core.pagination import page_of
from lodestar.onboarding.models import PeopleImport
from lodestar.onboarding.people_import.planning import CHANGED, ERROR, INVITE, NEW, OUTCOMES, UNCHANGED
from lodestar.orgs.models import Role

RECENT_SHOWN = 10
ROWS_PER_PAGE = 200


def outcome_labels() -> dict[str, str]:
    return {
        ERROR: pgettext("import outcome", "Error"),
        NEW: pgettext("import outcome", "New"),
        INVITE: pgettext("import outcome", "Invited"),
        CHANGED: pgettext("import outcome", "Changed"),
        UNCHANGED: pgettext("import outcome", "Unchanged"),
    }


# The status colour each outcome borrows (its label says it too).
OUTCOME_STYLE = {
    ERROR: "off_track",
    NEW: "on_track",
    INVITE: "accomplished",
    CHANGED: "needs_attention",
    UNCHANGED: "none",
}


def import_of(actor, import_id: int) -> PeopleImport:
    """An import of the actor's organization (404 for anything else)."""
    people_import = PeopleImport.objects.filter(organization_id=actor.organization_id, pk=import_id).first()
    if people_import is None:
        raise NotFound
    return people_import


def recent_imports(actor):
    return (
        PeopleImport.objects.filter(organization_id=actor.organization_id)
        .select_related("uploaded_by__user")
        .defer("rows", "preview")
        .order_by("-created_at", "-pk")[:RECENT_SHOWN]
    )


def _role(value) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return str(value)


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def describe(change) -> str:
    """One change of a row in words: "Role: Member → Admin", "Groups: + Platform"."""
    field, old, new = change
    if field == "role":
        label, old, new = _("Role"), _role(old) if old else None, _role(new)
    elif field == "job_title":
        label, old, new = _("Job title"), f"“{old}”" if old else None, f"“{new}”"
    elif field == "manager":
        label = _("Manager")
    elif field == "groups":
        return _("Groups: + %(groups)s") % {"groups": ", ".join(new)}
    elif field == "leads":
        return _("Leads: + %(groups)s") % {"groups": ", ".join(new)}
    elif field == "ambassador":
        label, old, new = _("OKR ambassador"), None if old is None else _yes_no(old), _yes_no(new)
    elif field == "account":
        label = _("Language and time zone")
    else:
        label = field
    if old is None:
        return f"{label}: {new}"
    return f"{label}: {old} → {new}"


def preview_rows(people_import: PeopleImport, *, show: str = "", page: str | int = 1):
    """The page of rows to show: errors first, then new, invited, changed and unchanged people, each
    in file order; ``show`` keeps one outcome."""
    rows = people_import.preview.get("rows", [])
    order = {outcome: index for index, outcome in enumerate(OUTCOMES)}
    if show in order:
        rows = [row for row in rows if row["outcome"] == show]
    rows = sorted(rows, key=lambda row: (order.get(row["outcome"], 9), row["row"]))
    page = page_of(rows, page, per_page=ROWS_PER_PAGE)
    labels = outcome_labels()
    page.shown = [
        {
            **row,
            "label": labels.get(row["outcome"], row["outcome"]),
            "style": OUTCOME_STYLE.get(row["outcome"], "none"),
            "described": [describe(change) for change in row["changes"]],
        }
        for row in page.object_list
    ]
    return page


def as_text(people_import: PeopleImport) -> list[str]:
    """The preview as lines of text for the command line: a summary, every row that is not
    unchanged (errors first), and who is missing from the file."""
    preview = people_import.preview
    summary = preview.get("summary", {})
    lines = [
        _(
            "%(rows)d rows: %(new)d new, %(invite)d invited (they have an account), %(changed)d changed, "
            "%(unchanged)d unchanged, %(error)d with errors; not in the file: %(missing)d."
        )
        % {key: summary.get(key, 0) for key in ("rows", "new", "invite", "changed", "unchanged", "error", "missing")}
    ]
    if people_import.ignored_columns:
        lines.append(_("Columns not read: %(columns)s") % {"columns": ", ".join(people_import.ignored_columns)})
    if preview.get("new_groups"):
        lines.append(_("New groups: %(groups)s") % {"groups": "; ".join(preview["new_groups"])})
    labels = outcome_labels()
    order = {outcome: index for index, outcome in enumerate(OUTCOMES)}
    for row in sorted(preview.get("rows", []), key=lambda row: (order.get(row["outcome"], 9), row["row"])):
        if row["outcome"] == UNCHANGED and not row["notes"]:
            continue
        details = row["errors"] or [describe(change) for change in row["changes"]]
        lines.append(
            _("Row %(row)d, %(email)s: %(outcome)s")
            % {"row": row["row"], "email": row["email"] or "–", "outcome": labels[row["outcome"]]}
            + (" — " + "; ".join(details + row["notes"]) if details or row["notes"] else "")
        )
    for entry in preview.get("missing", []):
        state = (
            _("deactivated")
            if entry["deactivate"]
            else (_("kept: %(reason)s") % {"reason": entry["kept"]} if entry["kept"] else _("stays"))
        )
        lines.append(_("Not in the file: %(name)s <%(email)s> — %(state)s") % {**entry, "state": state})
    return lines
