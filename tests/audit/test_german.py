"""The audit log in German: every string of the log has its German in locale/de (compiled by
`make test`), and the page reads in German."""

import re
from pathlib import Path

from django.utils import translation

from lodestar.audit import presenting
from lodestar.audit.actions import ACTIONS
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Role
from tests.conftest import signed_in

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "lodestar" / "audit" / name for name in ("actions.py", "presenting.py", "forms.py", "views.py", "models.py")
] + [ROOT / "lodestar" / "api" / "endpoints" / "audit.py"]
TEMPLATE = ROOT / "lodestar" / "audit" / "templates" / "audit" / "log.html"
# Words German writes the same way (translated to themselves in locale/de).
SAME_IN_GERMAN = {"Admin", "Details", "Name", "Person", "Webhook", "Webhooks", "Feed", "Feeds", "Token", "Host"}


def test_every_string_of_the_audit_log_has_its_german():
    wanted = {str(label) for label in ACTIONS.values()}
    wanted |= {str(label) for label in presenting.FIELD_LABELS.values()}
    wanted |= {str(title) for title, _prefixes in presenting.SECTIONS.values()}
    wanted |= {str(label) for labels in presenting.VALUE_LABELS.values() for label in labels.values()}
    for source in SOURCES:
        wanted |= set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)+)"', source.read_text(encoding="utf-8")))
    wanted |= set(re.findall(r'{% translate "([^"]+)"', TEMPLATE.read_text(encoding="utf-8")))
    wanted |= set(re.findall(r"{% translate '([^']+)'", TEMPLATE.read_text(encoding="utf-8")))
    wanted -= {"Slack", "Microsoft Teams"}  # names, not words
    with translation.override("de"):
        untranslated = sorted(text for text in wanted if translation.gettext(text) == text)
    assert untranslated == sorted(SAME_IN_GERMAN & wanted)


def test_the_page_reads_in_german(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    cast.owner.user.language = "de"
    cast.owner.user.save()
    html = signed_in(client, cast.owner).get("/acme/settings/audit/").content.decode()
    assert "<h1>Audit-Protokoll</h1>" in html
    assert "Rolle geändert" in html
    assert 'Rolle:</span> Mitglied <span aria-hidden="true">→</span>' in html
    assert "Personen und Gruppen" in html  # a section of the action filter
