"""The audit log in German: every string of the log has its German in var/po/audit.po (or the
project's catalog already), and the page reads in German with that fragment compiled."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lodestar.audit import presenting
from lodestar.audit.actions import ACTIONS
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Role
from tests.conftest import signed_in

ROOT = Path(__file__).resolve().parents[2]
FRAGMENT = ROOT / "var" / "po" / "audit.po"
CATALOG = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
SOURCES = [
    ROOT / "lodestar" / "audit" / name for name in ("actions.py", "presenting.py", "forms.py", "views.py", "models.py")
] + [ROOT / "lodestar" / "api" / "endpoints" / "audit.py"]
TEMPLATE = ROOT / "lodestar" / "audit" / "templates" / "audit" / "log.html"


def translated(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {
        msgid
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\n(?:msgid_plural .*\n)?msgstr(?:\[0\])? "(.+)"$', text, re.M)
    }


def test_every_string_of_the_audit_log_has_its_german():
    known = translated(FRAGMENT) | translated(CATALOG)
    wanted = {str(label) for label in ACTIONS.values()}
    wanted |= {str(label) for label in presenting.FIELD_LABELS.values()}
    wanted |= {str(title) for title, _prefixes in presenting.SECTIONS.values()}
    wanted |= {str(label) for labels in presenting.VALUE_LABELS.values() for label in labels.values()}
    for source in SOURCES:
        wanted |= set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)+)"', source.read_text(encoding="utf-8")))
    wanted |= set(re.findall(r'{% translate "([^"]+)"', TEMPLATE.read_text(encoding="utf-8")))
    wanted |= set(re.findall(r"{% translate '([^']+)'", TEMPLATE.read_text(encoding="utf-8")))
    wanted -= {"Slack", "Microsoft Teams"}  # names, not words
    assert sorted(wanted - known) == []


@pytest.fixture
def german_fragment(settings, tmp_path):
    """var/po/audit.po compiled, with the project's catalog, into a temporary locale directory
    (until the fragment is merged into locale/de; the repository holds no compiled catalogs)."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    paths = []
    for name, source in (("fragment", FRAGMENT), ("catalog", CATALOG)):
        target = tmp_path / name / "de" / "LC_MESSAGES"
        target.mkdir(parents=True)
        subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(source)], check=True)
        paths.append(tmp_path / name)
    settings.LOCALE_PATHS = [*paths, *settings.LOCALE_PATHS]


def test_the_page_reads_in_german(client, cast, german_fragment):
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    cast.owner.user.language = "de"
    cast.owner.user.save()
    html = signed_in(client, cast.owner).get("/acme/settings/audit/").content.decode()
    assert "<h1>Audit-Protokoll</h1>" in html
    assert "Rolle geändert" in html
    assert 'Rolle:</span> Mitglied <span aria-hidden="true">→</span>' in html
    assert "Personen und Gruppen" in html  # a section of the action filter
