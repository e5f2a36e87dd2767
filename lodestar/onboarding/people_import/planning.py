"""What importing a people spreadsheet would do, row by row, before anything is saved.

The plan reads the organization once (its people, groups, group places and open invitations, and
which of the file's addresses have an account anywhere): a fixed number of queries whatever the
file's size, then everything is decided in memory. The same rules as inviting one person hold:
a new address gets its account and membership at once; an address that has an account already
(in another organization, say) gets only an invitation, and joins when its holder accepts.

Rules of the file:
- An empty cell, or a column the file does not have, leaves that value as it is. An import adds:
  it never takes anyone out of a group or clears a value.
- Name, language and time zone belong to the person's account (they change them themselves):
  they are set for new people only.
- Groups are paths ("Engineering / Platform"), several separated by ";" or ","; missing groups are
  created. A segment that means a group existing elsewhere in the tree, or two spellings of one
  short name, is an error of the rows that use it.
- A manager is named by e-mail: someone in the file or a member already. Unknown managers, and
  managers that go round in a circle, are errors naming the rows.
- An address that appears on several rows is an error on each of them.
"""

import functools
import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Value, When
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lodestar.core.validation import clean_text
from lodestar.onboarding.models import Invitation
from lodestar.onboarding.people_import.reading import header_key
from lodestar.onboarding.services import clean_address, name_from_address
from lodestar.orgs.models import Group, GroupMembership, Membership, Role

# Outcomes of a row, in the order the preview lists them (errors first).
ERROR, NEW, INVITE, CHANGED, UNCHANGED = "error", "new", "invite", "changed", "unchanged"
OUTCOMES = (ERROR, NEW, INVITE, CHANGED, UNCHANGED)
MAX_GROUP_DEPTH = 8
_CHUNK = 2000

ROLE_WORDS = {
    Role.OWNER: ["owner", "inhaber", "inhaberin", "eigentümer", "eigentümerin"],
    Role.ADMIN: ["admin", "administrator", "administratorin", "administrator(in)"],
    Role.MEMBER: ["member", "mitglied", "user", "benutzer", "benutzerin", "nutzer", "standard"],
    Role.VIEWER: [
        "viewer",
        "read-only",
        "reader",
        "leser",
        "leserin",
        "leser(in)",
        "betrachter",
        "betrachterin",
        "betrachter(in)",
        "lesezugriff",
        "nur lesen",
    ],
}
_ROLES = {header_key(word): role for role, words in ROLE_WORDS.items() for word in words}
_YES = {"yes", "y", "ja", "j", "x", "1", "true", "wahr", "✓", "✔"}
_NO = {"no", "n", "nein", "0", "false", "falsch", "-"}


@functools.cache
def _time_zones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def _language_names() -> dict[str, str]:
    names = {}
    for code, label in settings.LANGUAGES:
        names[code.casefold()] = code
        info = LANG_INFO.get(code, {})
        for name in (info.get("name"), info.get("name_local")):
            if name:
                names[name.casefold()] = code
        for other, _label in settings.LANGUAGES:
            with translation.override(other):
                names[str(label).casefold()] = code
    return names


def group_path_text(names) -> str:
    return " / ".join(names)


@dataclass
class Row:
    """One row's outcome; what the preview shows, and what applying it writes."""

    row: int
    email: str = ""
    name: str = ""
    outcome: str = UNCHANGED
    changes: list = field(default_factory=list)  # [field, old, new] with names for display
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # For applying:
    membership_id: int | None = None  # an existing (or returning) person's membership
    returning: bool = False
    invited_already: bool = False
    role: str | None = None
    job_title: str | None = None
    ambassador: bool | None = None
    language: str = ""
    time_zone: str = ""
    manager: tuple | None = None  # ("member", membership id) or ("row", e-mail)
    groups: list = field(default_factory=list)  # group keys the person joins
    leads: list = field(default_factory=list)  # group keys the person leads

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)
        self.outcome = ERROR

    def as_preview(self) -> dict:
        return {
            "row": self.row,
            "email": self.email,
            "name": self.name,
            "outcome": self.outcome,
            "changes": self.changes,
            "errors": self.errors,
            "notes": self.notes,
        }


@dataclass
class NewGroup:
    key: tuple  # ("new", the path's names casefolded)
    name: str
    slug: str
    parent: tuple | None  # a group key
    path: str
    first_row: int


@dataclass
class Plan:
    rows: list[Row]
    missing: list[dict]
    new_groups: dict  # key -> NewGroup
    deactivate_missing: bool
    org: object = None  # the organization as read for the plan (_Organization)
    summary: dict = field(default_factory=dict)

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.outcome == ERROR]

    def groups_needed(self) -> list[NewGroup]:
        """The new groups the rows without errors use, parents before children."""
        wanted = set()
        for row in self.rows:
            if row.outcome in (NEW, INVITE, CHANGED):
                for key in row.groups + row.leads:
                    while key is not None and key[0] == "new" and key not in wanted:
                        wanted.add(key)
                        key = self.new_groups[key].parent
        return sorted((self.new_groups[key] for key in wanted), key=lambda group: len(group.key[1]))

    def digest(self) -> str:
        """What the plan would do, as a fingerprint: applying checks that it is still what the admin saw."""
        shape = [[row.row, row.email, row.outcome, row.changes, row.membership_id] for row in self.rows]
        shape.append(sorted((entry["membership_id"], bool(entry["kept"])) for entry in self.missing))
        return hashlib.sha256(json.dumps(shape, sort_keys=True, default=str).encode()).hexdigest()

    def as_preview(self) -> dict:
        return {
            "rows": [row.as_preview() for row in self.rows],
            "missing": self.missing,
            "new_groups": sorted((group.path for group in self.groups_needed()), key=str.casefold),
            "summary": self.summary,
        }


class _Organization:
    """The organization's people and groups, read once."""

    def __init__(self, actor: Membership, emails: set[str]):
        organization_id = actor.organization_id
        self.actor = actor
        self.people = {}  # e-mail -> dict
        self.by_id = {}
        for person in Membership.objects.filter(organization_id=organization_id).values(
            "pk",
            "role",
            "job_title",
            "manager_id",
            "is_active",
            "is_okr_ambassador",
            email=Lower("user__email"),
            full_name=F("user__full_name"),
            language=F("user__language"),
            time_zone=F("user__time_zone"),
            last_login=F("user__last_login"),
            # Whether they ever had a password (never the hashes themselves).
            has_password=Case(
                When(user__password__startswith=UNUSABLE_PASSWORD_PREFIX, then=Value(False)), default=Value(True)
            ),
        ):
            self.people[person["email"]] = person
            self.by_id[person["pk"]] = person
        self.groups = {
            group["pk"]: group
            for group in Group.objects.filter(organization_id=organization_id).values("pk", "name", "slug", "parent_id")
        }
        self.children = {}  # parent id -> {casefolded name or slug: group id}
        for group in self.groups.values():
            under = self.children.setdefault(group["parent_id"], {})
            under.setdefault(group["name"].casefold(), group["pk"])
            under.setdefault(group["slug"], group["pk"])
        self.slugs = {group["slug"]: group["pk"] for group in self.groups.values()}
        self.places = {}  # (membership id, group id) -> is_lead
        for membership_id, group_id, is_lead in GroupMembership.objects.filter(
            organization_id=organization_id
        ).values_list("membership_id", "group_id", "is_lead"):
            self.places[(membership_id, group_id)] = is_lead
        self.invited = dict(
            Invitation.objects.filter(organization_id=organization_id, state=Invitation.State.PENDING)
            .annotate(address=Lower("email"))
            .values_list("address", "membership_id")
        )
        outsiders = sorted(emails - set(self.people))
        self.accounts = set()
        for start in range(0, len(outsiders), _CHUNK):
            chunk = outsiders[start : start + _CHUNK]
            self.accounts.update(
                get_user_model()
                .objects.annotate(address=Lower("email"))
                .filter(address__in=chunk)
                .values_list("address", flat=True)
            )
            self.accounts.update(
                EmailAddress.objects.annotate(address=Lower("email"))
                .filter(address__in=chunk, verified=True)
                .values_list("address", flat=True)
            )

    def group_path(self, key) -> str:
        names = []
        while key is not None:
            group = self.groups[key[1]]
            names.append(group["name"])
            key = ("group", group["parent_id"]) if group["parent_id"] else None
        return group_path_text(reversed(names))


def plan_import(*, actor: Membership, rows: list[dict], deactivate_missing: bool = False) -> Plan:
    """Decide every row's outcome against the organization as it is now. Reads, never writes."""
    planner = _Planner(actor, rows, deactivate_missing)
    return planner.run()


class _Planner:
    def __init__(self, actor: Membership, rows: list[dict], deactivate_missing: bool):
        self.actor = actor
        self.raw = rows
        self.deactivate_missing = deactivate_missing
        self.languages = _language_names()
        self.new_groups: dict[tuple, NewGroup] = {}
        self.new_slugs: dict[str, NewGroup] = {}

    def run(self) -> Plan:
        rows = [self._read(raw) for raw in self.raw]
        emails = {row.email for row in rows if row.email}
        self.org = _Organization(self.actor, emails)
        self._duplicates(rows)
        by_email = {}
        for row in rows:
            by_email.setdefault(row.email, row)
        for row, raw in zip(rows, self.raw, strict=True):
            if row.outcome != ERROR:
                self._classify(row)
            if row.outcome != ERROR:
                self._resolve_groups(row, raw)
        for row, raw in zip(rows, self.raw, strict=True):
            if row.outcome != ERROR:
                self._resolve_manager(row, raw.get("manager", ""), by_email)
        self._owners(rows)
        self._cycles(rows)
        self._spread_manager_errors(rows)
        for row in rows:
            if row.outcome != ERROR:
                self._describe(row)
        missing = self._missing(rows)
        plan = Plan(
            rows=rows,
            missing=missing,
            new_groups=self.new_groups,
            deactivate_missing=self.deactivate_missing,
            org=self.org,
        )
        plan.summary = dict.fromkeys(OUTCOMES, 0)
        for row in rows:
            plan.summary[row.outcome] += 1
        plan.summary["missing"] = len(missing)
        plan.summary["deactivated"] = sum(1 for entry in missing if entry["deactivate"])
        plan.summary["new_groups"] = len(plan.groups_needed())
        plan.summary["rows"] = len(rows)
        return plan

    # --- one row's own cells ---------------------------------------------------------------------

    def _read(self, raw: dict) -> Row:
        row = Row(row=int(raw.get("row", 0)))
        try:
            row.email = clean_address(raw.get("email", ""))
        except ValidationError as error:
            row.email = str(raw.get("email", ""))[:254].strip().lower()
            row.error(_("E-mail: %(reason)s") % {"reason": " ".join(error.messages)})
        row.name = self._text(row, raw, "name", _("Name"), 150)
        role = (raw.get("role") or "").strip()
        if role:
            row.role = _ROLES.get(header_key(role))
            if row.role is None:
                row.error(
                    _("Role: “%(value)s” is none of member, admin, viewer or owner (Mitglied, Admin, Leser(in)).")
                    % {"value": role[:40]}
                )
        job_title = self._text(row, raw, "job_title", _("Job title"), 120)
        row.job_title = job_title or None
        language = (raw.get("language") or "").strip()
        if language:
            code = self.languages.get(language.casefold()) or self.languages.get(
                language.replace("_", "-").split("-")[0].casefold()
            )
            if code is None:
                row.error(
                    _("Language: “%(value)s” is not one Lodestar speaks (%(choices)s).")
                    % {"value": language[:40], "choices": ", ".join(code for code, _label in settings.LANGUAGES)}
                )
            row.language = code or ""
        zone = (raw.get("time_zone") or "").strip()
        if zone:
            row.time_zone = _time_zones().get(zone.casefold(), "")
            if not row.time_zone:
                row.error(
                    _("Time zone: “%(value)s” is not a time zone name like Europe/Berlin.") % {"value": zone[:60]}
                )
        ambassador = (raw.get("ambassador") or "").strip().casefold()
        if ambassador:
            if ambassador in _YES:
                row.ambassador = True
            elif ambassador in _NO:
                row.ambassador = False
            else:
                row.error(
                    _("OKR ambassador: “%(value)s” is neither yes nor no (ja/nein, x, 1/0).")
                    % {"value": ambassador[:40]}
                )
        return row

    def _text(self, row: Row, raw: dict, column: str, label: str, limit: int) -> str:
        try:
            return clean_text(raw.get(column, ""), field=column, max_length=limit)
        except ValidationError as error:
            row.error(f"{label}: {' '.join(error.messages)}")
            return ""

    def _duplicates(self, rows: list[Row]) -> None:
        seen: dict[str, list[Row]] = {}
        for row in rows:
            if row.email:
                seen.setdefault(row.email, []).append(row)
        for same in seen.values():
            if len(same) > 1:
                numbers = ", ".join(str(row.row) for row in same)
                for row in same:
                    row.error(
                        _("%(email)s appears on rows %(rows)s: keep one of them.")
                        % {"email": row.email, "rows": numbers}
                    )

    # --- who the row is ------------------------------------------------------------------------

    def _classify(self, row: Row) -> None:
        person = self.org.people.get(row.email)
        if person is None:
            if row.email in self.org.invited:
                row.outcome = UNCHANGED
                row.notes.append(_("Invited already: the invitation waits for their answer."))
                row.invited_already = True
            elif row.email in self.org.accounts:
                row.outcome = INVITE
            else:
                row.outcome = NEW
            return
        row.membership_id = person["pk"]
        if person["is_active"]:
            row.outcome = UNCHANGED  # until a change is found
        elif row.email in self.org.invited:
            row.error(_("%(email)s is invited already: resend the invitation from the list.") % {"email": row.email})
        elif person["last_login"] is None and not person["has_password"]:
            row.outcome, row.returning = NEW, True  # invited once, withdrawn before they came in: invited again
        else:
            row.error(_("%(email)s was deactivated: reactivate them on their page instead.") % {"email": row.email})

    # --- groups --------------------------------------------------------------------------------

    def _resolve_groups(self, row: Row, raw: dict) -> None:
        for column, target in (("groups", row.groups), ("leads", row.leads)):
            for path in _paths(raw.get(column, "")):
                key = self._group(row, path)
                if key is not None and key not in target:
                    target.append(key)
        row.groups = [key for key in row.groups if key not in row.leads]

    def _group(self, row: Row, path: str):
        names = [" ".join(part.split()) for part in path.split("/")]
        if any(not name for name in names):
            row.error(_("Group “%(path)s”: a part of the path is empty.") % {"path": path[:120]})
            return None
        if len(names) > MAX_GROUP_DEPTH:
            row.error(
                _("Group “%(path)s”: nest groups at most %(depth)d levels deep.")
                % {"path": path[:120], "depth": MAX_GROUP_DEPTH}
            )
            return None
        key = None
        for depth, name in enumerate(names):
            key = self._segment(row, key, name, names[: depth + 1])
            if key is None:
                return None
        return key

    def _segment(self, row: Row, parent, name: str, names: list[str]):
        try:
            name = clean_text(name, field="groups", max_length=120, required=True)
        except ValidationError as error:
            row.error(_("Group “%(name)s”: %(reason)s") % {"name": name[:60], "reason": " ".join(error.messages)})
            return None
        slug = slugify(name)[:80]
        if parent is None or parent[0] == "group":
            under = self.org.children.get(parent[1] if parent else None, {})
            found = under.get(name.casefold()) or under.get(slug)
            if found is not None:
                return ("group", found)
        key = ("new", tuple(part.casefold() for part in names))
        if key in self.new_groups:
            return key
        path = group_path_text(names)
        if not slug:
            row.error(_("Group “%(name)s”: the name needs letters or digits.") % {"name": name})
            return None
        clash = self.org.slugs.get(slug)
        if clash is not None:
            row.error(
                _("Group “%(path)s”: a group “%(name)s” exists already at “%(where)s”. Use that path, or another name.")
                % {"path": path, "name": self.org.groups[clash]["name"], "where": self.org.group_path(("group", clash))}
            )
            return None
        other = self.new_slugs.get(slug)
        if other is not None:
            row.error(
                _("Group “%(path)s” and “%(other)s” (row %(row)d) would have the same short name: spell them alike.")
                % {"path": path, "other": other.path, "row": other.first_row}
            )
            return None
        group = NewGroup(key=key, name=name, slug=slug, parent=parent, path=path, first_row=row.row)
        self.new_groups[key] = self.new_slugs[slug] = group
        return key

    def group_name(self, key) -> str:
        if key[0] == "group":
            return self.org.group_path(key)
        return self.new_groups[key].path

    # --- managers ------------------------------------------------------------------------------

    def _resolve_manager(self, row: Row, value: str, by_email: dict) -> None:
        value = (value or "").strip()
        if not value:
            return
        try:
            email = clean_address(value, field="manager")
        except ValidationError:
            row.error(_("Manager: “%(value)s” is not an e-mail address.") % {"value": value[:80]})
            return
        if email == row.email:
            row.error(_("Manager: a person cannot be their own manager."))
            return
        in_file = by_email.get(email)
        if in_file is not None and in_file.invited_already:
            row.error(
                _("Manager: %(email)s (row %(row)d) has not accepted their invitation yet.")
                % {"email": email, "row": in_file.row}
            )
            return
        if in_file is not None and in_file.outcome == INVITE:
            row.error(
                _(
                    "Manager: %(email)s (row %(row)d) has an account already and joins when they accept; name "
                    "them as manager after that."
                )
                % {"email": email, "row": in_file.row}
            )
            return
        if in_file is not None and in_file.membership_id is None and email not in self.org.people:
            row.manager = ("row", email)  # a new person of the file (if their row has errors, so has this one)
            return
        person = self.org.people.get(email)
        if person is not None and (person["is_active"] or (in_file is not None and in_file.returning)):
            row.manager = ("member", person["pk"])
            return
        if person is not None:
            row.error(_("Manager: %(email)s is deactivated.") % {"email": email})
            return
        row.error(_("Manager: %(email)s is neither in the file nor a member.") % {"email": email})

    def _cycles(self, rows: list[Row]) -> None:
        """Refuse managers that go round in a circle, through the file's rows and present people."""
        node_of_row = {}
        boss = {}  # node -> node
        for person in self.org.by_id.values():
            if person["manager_id"]:
                boss[("member", person["pk"])] = ("member", person["manager_id"])
        for row in rows:
            if row.outcome == ERROR:
                continue
            node = ("member", row.membership_id) if row.membership_id else ("row", row.email)
            node_of_row[node] = row
            if row.manager is not None:
                boss[node] = row.manager
            elif row.outcome == NEW and row.returning:
                boss.pop(node, None)  # a returning person starts without a manager unless the file names one
        state = {}
        for start in node_of_row:
            trail = []
            node = start
            while node is not None and node not in state:
                state[node] = start
                trail.append(node)
                node = boss.get(node)
            if node is not None and state.get(node) == start:  # came back to this walk: a circle
                circle = trail[trail.index(node) :]
                in_file = [node_of_row[member] for member in circle if member in node_of_row]
                names = " → ".join(self._node_email(member) for member in [*circle, circle[0]])
                numbers = ", ".join(str(row.row) for row in in_file)
                for row in in_file:
                    row.error(
                        _("Managers go round in a circle: %(chain)s (rows %(rows)s).")
                        % {"chain": names, "rows": numbers}
                    )

    def _node_email(self, node) -> str:
        if node[0] == "row":
            return node[1]
        person = self.org.by_id.get(node[1])
        return person["email"] if person else "?"

    def _spread_manager_errors(self, rows: list[Row]) -> None:
        """A row whose manager's row has errors cannot be saved without it."""
        by_email = {row.email: row for row in rows if row.email}
        changed = True
        while changed:
            changed = False
            for row in rows:
                if row.outcome == ERROR or row.manager is None or row.manager[0] != "row":
                    continue
                manager = by_email[row.manager[1]]
                if manager.outcome == ERROR:
                    row.error(
                        _("Manager: the row of %(email)s (row %(row)d) has errors.")
                        % {"email": manager.email, "row": manager.row}
                    )
                    changed = True

    # --- owners --------------------------------------------------------------------------------

    def _owners(self, rows: list[Row]) -> None:
        actor_is_owner = self.actor.role == Role.OWNER
        demoting = []
        for row in rows:
            if row.outcome == ERROR or row.role is None:
                continue
            current = self.org.by_id[row.membership_id]["role"] if row.membership_id and not row.returning else None
            touches_owner = row.role != current and Role.OWNER in (row.role, current)
            if touches_owner and not actor_is_owner:
                row.error(_("Role: only owners can change who is an owner."))
            elif current == Role.OWNER and row.role != Role.OWNER:
                demoting.append(row)
        if demoting:
            owners = {
                person["pk"]
                for person in self.org.by_id.values()
                if person["is_active"] and person["role"] == Role.OWNER
            }
            owners -= {row.membership_id for row in demoting}
            owners |= {row.email for row in rows if row.outcome != ERROR and row.role == Role.OWNER}
            if not owners:
                for row in demoting:
                    row.error(_("Role: an organization needs at least one active owner."))

    # --- what changes --------------------------------------------------------------------------

    def _describe(self, row: Row) -> None:
        groups = [self.group_name(key) for key in row.groups]
        leads = [self.group_name(key) for key in row.leads]
        manager = self._manager_email(row.manager)
        if row.outcome in (NEW, INVITE):
            if row.outcome == NEW and not row.returning:
                row.name = row.name or name_from_address(row.email)
            changes = [["role", None, row.role or Role.MEMBER]]
            if row.job_title:
                changes.append(["job_title", None, row.job_title])
            if manager:
                changes.append(["manager", None, manager])
            if groups:
                changes.append(["groups", None, groups])
            if leads:
                changes.append(["leads", None, leads])
            if row.ambassador and row.outcome == NEW:
                changes.append(["ambassador", None, True])
            if row.outcome == NEW and (row.language or row.time_zone):
                changes.append(["account", None, ", ".join(value for value in (row.language, row.time_zone) if value)])
            row.changes = changes
            if row.outcome == INVITE:
                row.notes.append(_("Has an account already: joins when they accept the invitation."))
                if leads:
                    row.notes.append(
                        _("Joins the groups they lead as a member: make them lead once they have accepted.")
                    )
                if row.ambassador:
                    row.notes.append(_("Make them OKR ambassador once they have accepted."))
            return
        if row.membership_id is None:  # invited already, not yet a member
            return
        person = self.org.by_id[row.membership_id]
        changes = []
        if row.role is not None and row.role != person["role"]:
            changes.append(["role", person["role"], row.role])
        if row.job_title is not None and row.job_title != person["job_title"]:
            changes.append(["job_title", person["job_title"] or None, row.job_title])
        if row.manager is not None:
            current = ("member", person["manager_id"]) if person["manager_id"] else None
            if row.manager != current:
                changes.append(["manager", self._manager_email(current) or None, manager])
            else:
                row.manager = None
        row.groups = [key for key in row.groups if (row.membership_id, _id(key)) not in self.org.places]
        row.leads = [key for key in row.leads if not self.org.places.get((row.membership_id, _id(key)))]
        if row.groups:
            changes.append(["groups", None, [self.group_name(key) for key in row.groups]])
        if row.leads:
            changes.append(["leads", None, [self.group_name(key) for key in row.leads]])
        if row.ambassador is not None and row.ambassador != person["is_okr_ambassador"]:
            changes.append(["ambassador", person["is_okr_ambassador"], row.ambassador])
        else:
            row.ambassador = None
        if row.role is not None and row.role == person["role"]:
            row.role = None
        if row.job_title is not None and row.job_title == person["job_title"]:
            row.job_title = None
        if (row.language and row.language != person["language"]) or (
            row.time_zone and row.time_zone != person["time_zone"]
        ):
            row.notes.append(_("Language and time zone stay as they chose them."))
        row.changes = changes
        row.outcome = CHANGED if changes else UNCHANGED

    def _manager_email(self, ref) -> str:
        if ref is None:
            return ""
        if ref[0] == "row":
            return ref[1]
        person = self.org.by_id.get(ref[1])
        return person["email"] if person else ""

    # --- people not in the file ----------------------------------------------------------------

    def _missing(self, rows: list[Row]) -> list[dict]:
        present = {row.email for row in rows}
        actor_is_owner = self.actor.role == Role.OWNER
        missing = []
        for email, person in sorted(self.org.people.items(), key=lambda item: item[1]["full_name"].casefold()):
            if not person["is_active"] or email in present:
                continue
            kept = ""
            if person["pk"] == self.actor.pk:
                kept = _("you are importing")
            elif person["role"] == Role.OWNER and not actor_is_owner:
                kept = _("only owners deactivate owners")
            missing.append(
                {
                    "membership_id": person["pk"],
                    "email": email,
                    "name": person["full_name"],
                    "role": person["role"],
                    "kept": kept,
                    "deactivate": self.deactivate_missing and not kept,
                }
            )
        self._keep_an_owner(rows, missing)
        return missing

    def _keep_an_owner(self, rows: list[Row], missing: list[dict]) -> None:
        """Deactivating the people missing from the file never leaves the organization without an owner."""
        gone = {entry["membership_id"] for entry in missing if entry["deactivate"]}
        demoted = {row.membership_id for row in rows if row.outcome != ERROR and row.role not in (None, Role.OWNER)}
        owners = [
            person["pk"]
            for person in self.org.by_id.values()
            if person["is_active"] and person["role"] == Role.OWNER and person["pk"] not in gone | demoted
        ]
        if owners or any(row.outcome != ERROR and row.role == Role.OWNER for row in rows):
            return
        for entry in missing:
            if entry["deactivate"] and entry["role"] == Role.OWNER:
                entry["deactivate"], entry["kept"] = False, _("the organization keeps an owner")


def _id(key) -> int | None:
    return key[1] if key[0] == "group" else None


def _paths(cell: str) -> list[str]:
    text = (cell or "").replace("\n", ";").replace(",", ";")
    return [part.strip() for part in text.split(";") if part.strip()]
