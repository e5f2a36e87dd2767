"""The coach asks for its findings by GET with the form's fields: never with the CSRF token, which
would end up in the query string, and so in access logs and the browser's history."""

import re
from pathlib import Path

from django.urls import reverse

from tests.conftest import signed_in

TEMPLATES = Path(__file__).resolve().parents[2] / "lodestar"


def test_no_get_request_of_htmx_includes_a_form_with_its_csrf_token():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<[^>]*\bhx-get=[^>]*>", template.read_text()):
            includes_a_form = re.search(r'hx-include="[^"]*closest form', tag)
            if includes_a_form and 'hx-params="not csrfmiddlewaretoken"' not in tag:
                offenders.append(f"{template.relative_to(TEMPLATES)}: {tag[:80]}")
    assert offenders == []


def test_the_coach_panels_leave_the_csrf_token_out(client, cast, world):
    signed_in(client, cast.owner)
    pages = [
        reverse("okrs:objective_create", kwargs={"org_slug": "acme"}),
        reverse("okrs:key_result_create", kwargs={"org_slug": "acme", "objective_id": world.objective.pk}),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        panel = re.search(r'<div id="coach-panel"[^>]*>', html).group(0)
        assert 'hx-params="not csrfmiddlewaretoken"' in panel, url
