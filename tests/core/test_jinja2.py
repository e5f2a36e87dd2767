"""The Jinja2 engine of Lodestar's own templates: translations, localisation, escaping, missing
variables, the CSRF field, the bridge from Django templates, and the extraction of its msgids."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from lodestar.core import jinja2 as lodestar_jinja2
from lodestar.core.management.commands.makemessages import jinja2_pot

ROOT = Path(__file__).resolve().parents[2]
PORTED = [  # the first layer moved to Jinja2: their msgids are the ones the Django versions had
    "lodestar/okrs/jinja2/okrs/partials/objective_card.html",
    "lodestar/okrs/jinja2/okrs/partials/key_result_row.html",
    "lodestar/okrs/jinja2/okrs/partials/reading.html",
    "lodestar/jinja2/components/check_in_form.html",
]


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_translations_come_from_django_and_format_new_style_with_escaping():
    with translation.override("de"):
        assert render('{{ _("Draft") }}') == "Entwurf"
        assert render("{% trans value='42 %' %}Estimated {{ value }}{% endtrans %}") == "Geschätzt 42 %"
        assert render('{{ _("Estimated progress (%%)") }}') == "Geschätzter Fortschritt (%)"
    assert render('{{ _("Estimated %(value)s", value=v) }}', v="<b>") == "Estimated &lt;b&gt;"


def test_numbers_and_dates_print_in_the_language_s_format_as_in_django_templates():
    day = datetime.date(2026, 3, 9)
    source = "{{ n }} {{ d }} {{ day }}|{{ day|date('DATE_FORMAT') }}|{{ x|number(1) }}|{{ none|date }}"
    django = engines["django"].from_string(
        "{{ n }} {{ d }} {{ day }}|{{ day|date:'DATE_FORMAT' }}|{{ x|floatformat:1 }}|{{ none|date }}"
    )
    for language in ("en", "de"):
        with translation.override(language):
            context = {"n": 1234, "d": Decimal("3.5"), "day": day, "x": 3.14159, "none": None}
            assert render(source, **context) == django.render(context)
    with translation.override("de"):
        assert render("{{ d }}", d=Decimal("3.5")) == "3,5"


def test_a_missing_variable_is_false_in_a_test_but_fails_when_printed():
    assert render("{% if check_in_form %}open{% endif %}{{ timeframe_query|default('') }}") == ""
    with pytest.raises(jinja2.UndefinedError):
        render("{{ timeframe_query }}")
    with pytest.raises(jinja2.UndefinedError):
        render("{% for row in rows %}{% endfor %}")


def test_the_csrf_field_is_made_once_per_page_and_the_bridge_reuses_it():
    request = RequestFactory().get("/")
    page = engines["jinja2"].from_string("{{ csrf_input }}|{{ csrf_input }}|{{ csrf_token }}")
    first, second, token = page.render({}, request).split("|")
    assert first == second and f'value="{token}"' in first
    bridged = engines["django"].from_string(
        '{% load jinja %}{% jinja "components/check_in_form.html" key_result=key_result return_to="key_result" %}'
    )
    key_result = type("KR", (), {"pk": 7, "kind": "milestone", "unit": ""})()
    organization = type("Org", (), {"slug": "acme"})()
    html = bridged.render({"request": request, "key_result": key_result, "organization": organization})
    assert first in html  # the same token as the page's Jinja2 part
    assert 'action="/acme/key-results/7/check-in/"' in html and 'name="kr7-done"' in html


def test_the_bridge_sees_the_django_context_and_its_keywords_win():
    bridged = engines["django"].from_string(
        '{% load jinja %}{% for key_result in rows %}{% jinja "okrs/partials/reading.html" %}|{% endfor %}'
        '{% jinja "okrs/partials/reading.html" key_result=rows.1 %}'
    )
    rows = [type("KR", (), {"kind": "milestone", "progress": progress})() for progress in (1, 0)]
    with translation.override("de"):
        assert (
            bridged.render({"rows": rows})
            == "Erledigt|Meilenstein, noch nicht erreicht|Meilenstein, noch nicht erreicht"
        )


def test_apps_register_their_template_functions_before_the_first_render(monkeypatch):
    monkeypatch.setattr(lodestar_jinja2, "_built", False)
    monkeypatch.setattr(lodestar_jinja2, "_app_globals", {})
    monkeypatch.setattr(lodestar_jinja2, "_app_filters", {})
    lodestar_jinja2.register(globals={"shout": str.upper}, filters={"twice": lambda text: text * 2})
    environment = lodestar_jinja2.environment()
    assert environment.from_string("{{ shout('a') }}{{ 'b'|twice }}").render() == "Abb"
    with pytest.raises(RuntimeError):
        lodestar_jinja2.register(globals={"late": str})


def test_form_widgets_stay_on_django_s_engine():
    template = get_default_renderer().get_template("django/forms/widgets/text.html")
    assert template.backend is engines["django"]


def test_the_ported_components_keep_their_msgids_so_german_needs_no_new_work():
    extracted = read_po(io.BytesIO(jinja2_pot([str(ROOT / path) for path in PORTED])))
    ids = {message.id for message in extracted if message.id}
    assert {"Owns key results", "Estimated %(value)s", "Estimated progress (%%)", "Check in"} <= ids
    with open(ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po", "rb") as catalogue:
        german = {message.id: message for message in read_po(catalogue) if message.id}
    for msgid in ids:
        assert german[msgid].string and not german[msgid].fuzzy, msgid


def test_makemessages_puts_jinja2_msgids_beside_django_s(tmp_path, monkeypatch, settings):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "jinja2").mkdir()
    (tmp_path / "app" / "templates" / "page.html").write_text('{% load i18n %}{% translate "Shared" %}')
    (tmp_path / "app" / "jinja2" / "card.html").write_text(
        '{{ _("Shared") }} {{ _("Only Jinja") }} {% trans n=3 %}{{ n }} row{% pluralize %}{{ n }} rows{% endtrans %}'
    )
    (tmp_path / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["de"], verbosity=0)
    with open(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po", "rb") as result:
        messages = {
            message.id if isinstance(message.id, str) else message.id[0]: message for message in read_po(result)
        }
    assert {location for location, _ in messages["Shared"].locations} == {
        "app/templates/page.html",
        "app/jinja2/card.html",
    }
    assert "Only Jinja" in messages
    assert messages["%(n)s row"].id == ("%(n)s row", "%(n)s rows")
