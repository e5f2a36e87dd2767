"""The production profile passes Django's deployment checks, and every page sends a strict CSP."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from tests.conftest import signed_in
from tests.security.urls import build, organization_patterns, world_values

ROOT = Path(__file__).resolve().parents[2]


def test_manage_check_deploy_reports_nothing_for_the_production_profile():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "okr.example.com",
    }
    for development_only in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the browser tests set the latter
        env.pop(development_only, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_ENV": "production", "ALLOWED_HOSTS": "okr.example.com"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_page_forbids_framing_and_inline_code(client, world):
    """Every page (walked from the URL resolver, opened by the owner, who may open all) sends the
    strict policy; actions that only take a POST answer GET with 405, fragments that only htmx asks
    for send a plain GET to their page in the organization, all with the same headers."""
    anonymous = [reverse("account_login"), "/healthz"]
    responses = [client.get(url) for url in anonymous]
    signed_in(client, world.cast.owner)
    values = world_values(world)
    for url in [build(name, route, world.cast.acme.slug, values) for route, name in organization_patterns()]:
        response = client.get(url)
        assert response.status_code in (200, 302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(f"/{world.cast.acme.slug}/"), url
        responses.append(response)
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
