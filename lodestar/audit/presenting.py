"""How the audit log reads: actions in sections, and details as sentences ("Role: Member → Admin").

The rows keep codes (roles, choices, methods) and names; this module turns them into the reader's
language when the page is shown, so a row written in German reads in English to the next admin.
Details of events other apps log (single sign-on, provisioning, second factors) follow the same
shape — ``{"field": [before, after]}`` for a change, a list of names, or a single value — and an
unknown field shows with its code made readable.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lodestar.audit.actions import ACTIONS
from lodestar.orgs.models import Role, Weekday

# The sections of the action filter, by the code's first part ("member" of "member.role_changed").
SECTIONS = {
    "signin": (_("Signing in"), ("signin", "mfa")),
    "people": (_("People and groups"), ("member", "group", "invitation", "people_import")),
    "organization": (_("The organization"), ("settings", "export")),
    "identity": (_("Single sign-on and provisioning"), ("sso", "scim")),
    "integrations": (_("Integrations"), ("api_token", "webhook", "chat_channel", "feed")),
}
OTHER_SECTION = "other"

FIELD_LABELS = {
    # people and groups
    "role": _("Role"),
    "job_title": _("Job title"),
    "manager": _("Manager"),
    "is_okr_ambassador": _("OKR ambassador"),
    "is_active": _("Active"),
    "name": _("Name"),
    "slug": _("Short name"),
    "description": _("Description"),
    "parent": _("Parent group"),
    "added": _("Added"),
    "removed": _("Removed"),
    "now_leading": _("Now leading"),
    "no_longer_leading": _("No longer leading"),
    # imports and invitations
    "new": _("New people"),
    "invited": _("Invited with an account elsewhere"),
    "changed": _("Changed"),
    "groups": _("New groups"),
    "deactivated": _("Deactivated"),
    "skipped": _("Rows skipped"),
    "count": _("Invitations"),
    "email": _("E-mail address"),
    # the organization
    "language": _("Language"),
    "time_zone": _("Time zone"),
    "check_in_weekday": _("Check-in day"),
    "reflection_questions": _("Questions at closing"),
    "use_browser_language": _("New people start in their browser's language"),
    "second_factor_required_for": _("Second factor required for"),
    # signing in
    "method": _("Method"),
    "second_factor": _("Second factor"),
    "reason": _("Reason"),
    # integrations
    "scope": _("Access"),
    "expires_on": _("Expires on"),
    "url": _("Host"),
    "events": _("Events"),
    "active": _("Active"),
    "service": _("Service"),
    "group": _("Group"),
    "secret": _("Signing secret"),
    "kind": _("Kind"),
    "updates": _("Updates"),
}

# Fields whose value is a list of names or codes (a change of them is a pair of lists).
LIST_FIELDS = {"added", "removed", "now_leading", "no_longer_leading", "events", "reflection_questions"}

VALUE_LABELS = {
    "role": dict(Role.choices),
    "method": {
        "password": _("password"),
        "code": _("code by e-mail"),
        "mfa": _("second factor"),
        "passkey": _("passkey"),
        "socialaccount": _("identity provider"),
    },
    "second_factor": {
        "totp": _("authenticator app"),
        "recovery_codes": _("recovery code"),
        "webauthn": _("passkey or security key"),
    },
    "kind": {
        "push": _("secret URL"),
        "poll": _("polled data source"),
        "totp": _("authenticator app"),
        "recovery_codes": _("recovery codes"),
        "webauthn": _("passkey or security key"),
    },
    "updates": {"key_result": _("a key result"), "kpi": _("a KPI")},
    "scope": {"read": _("read only"), "read_write": _("read and write")},
    "secret": {"renewed": _("renewed")},
    "service": {"slack": "Slack", "teams": "Microsoft Teams"},
    "second_factor_required_for": {
        "nobody": _("Nobody"),
        "admins": _("Admins and owners"),
        "everyone": _("Everyone"),
    },
}
NAMES_SHOWN = 12  # names a list shows before it says how many more


def section_of(action: str) -> str:
    prefix = action.split(".", 1)[0]
    return next((key for key, (_label, prefixes) in SECTIONS.items() if prefix in prefixes), OTHER_SECTION)


def action_choices() -> list:
    """The action filter's choices: per section, the whole section first, then each action."""
    grouped = {key: [] for key in [*SECTIONS, OTHER_SECTION]}
    for code, label in ACTIONS.items():
        grouped[section_of(code)].append((code, label))
    choices = [("", _("Any action"))]
    for key, actions in grouped.items():
        if not actions:
            continue
        title = SECTIONS[key][0] if key in SECTIONS else _("Other")
        choices.append((title, [(key, _("All of “%(section)s”") % {"section": title}), *actions]))
    return choices


def actions_in(choice: str) -> list[str]:
    """The action codes a filter choice stands for: one action, or all of a section."""
    if choice in ACTIONS:
        return [choice]
    return [code for code in ACTIONS if section_of(code) == choice]


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


@dataclass(frozen=True)
class Detail:
    """One line of a row's details: ``label: value`` or ``label: before → after``."""

    label: str
    value: str = ""
    before: str = ""
    after: str = ""
    is_change: bool = False


def field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ").capitalize()


def value_text(field: str, value) -> str:
    """A logged value in the reader's language."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return names_text([value_text(field, item) for item in value])
    if field == "check_in_weekday" and isinstance(value, int) and value in Weekday.values:
        return str(Weekday(value).label)
    if field == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    labels = VALUE_LABELS.get(field, {})
    return str(labels.get(value, value)) if isinstance(value, str | int) else str(value)


def names_text(names: list[str]) -> str:
    if len(names) <= NAMES_SHOWN:
        return ", ".join(names)
    more = len(names) - NAMES_SHOWN
    return (
        ", ".join(names[:NAMES_SHOWN])
        + " "
        + ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more}
    )


def _is_change(field: str, value) -> bool:
    if not isinstance(value, list) or len(value) != 2:
        return False
    if field in LIST_FIELDS:  # a list of two names is not a change; a pair of lists is
        return all(item is None or isinstance(item, list) for item in value)
    return True


def details_of(details) -> list[Detail]:
    """A row's details as lines, in the order they were logged."""
    if not isinstance(details, dict):
        return []
    lines = []
    for field, value in details.items():
        label = field_label(str(field))
        if _is_change(field, value):
            lines.append(
                Detail(
                    label=label, before=value_text(field, value[0]), after=value_text(field, value[1]), is_change=True
                )
            )
        else:
            lines.append(Detail(label=label, value=value_text(field, value)))
    return lines
