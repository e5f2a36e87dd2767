"""The production profile passes Django's deployment checks, and every page sends a strict CSP;
`lodestar serve` starts only in a production environment (docs/deploy.md), and behind the proxy the
sign-in limits count each client's address."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from lodestar.core import deployment
from lodestar.core.management.commands import serve
from tests.conftest import PASSWORD, signed_in
from tests.security.urls import build, organization_patterns, world_values

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "okr.example.com",
    "DATABASE_URL": "postgres://lodestar@127.0.0.1:5432/lodestar",
}


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


# --- lodestar serve ------------------------------------------------------------------------------


def _without_production_variables(**extra) -> dict:
    env = {**os.environ, **extra}
    for name in ("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"):
        if name not in extra:
            env.pop(name, None)
    return env


def test_serve_lists_everything_production_still_needs_without_a_traceback():
    """Without SECRET_KEY the production settings cannot even load: `serve` answers first, naming
    every missing variable at once."""
    result = subprocess.run(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT,
        env=_without_production_variables(DJANGO_ENV="production"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert f"{name} is not set" in result.stderr
    assert "DJANGO_ENV" not in result.stderr
    assert "Traceback" not in result.stderr
    assert "docs/deploy.md" in result.stderr


def test_serve_refuses_the_development_profile():
    result = subprocess.run(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT,
        env=_without_production_variables(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DJANGO_ENV must be production" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_production_environment_is_complete_only_with_every_variable_and_without_debug():
    assert deployment.environment_problems(PRODUCTION) == []
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        (problem,) = deployment.environment_problems({**PRODUCTION, name: "  "})
        assert problem.startswith(f"{name} is not set")
    (problem,) = deployment.environment_problems({**PRODUCTION, "DEBUG": "true"})
    assert problem.startswith("DEBUG is on")
    assert deployment.environment_problems({**PRODUCTION, "DEBUG": "false"}) == []
    (problem,) = deployment.environment_problems({**PRODUCTION, "DJANGO_ENV": "development"})
    assert problem.startswith("DJANGO_ENV must be production")


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 2), (8, 8), (16, 16), (64, 16)])
def test_serve_runs_one_worker_process_per_core_with_two_threads_each(cores, workers):
    assert deployment.web_workers(None, {}, cores) == workers
    assert deployment.web_threads(None, {}) == 2


def test_the_worker_and_thread_counts_can_be_chosen():
    assert deployment.web_workers(None, {"LODESTAR_WEB_WORKERS": "5"}, cores=2) == 5
    assert deployment.web_workers(3, {"LODESTAR_WEB_WORKERS": "5"}, cores=2) == 3  # --workers wins
    assert deployment.web_threads(None, {"LODESTAR_WEB_THREADS": "4"}) == 4
    assert deployment.web_threads(1, {"LODESTAR_WEB_THREADS": "4"}) == 1
    for wrong in ("0", "-2", "many"):
        with pytest.raises(ValueError, match="LODESTAR_WEB_WORKERS"):
            deployment.web_workers(None, {"LODESTAR_WEB_WORKERS": wrong}, cores=2)
    with pytest.raises(ValueError, match="--threads"):
        deployment.web_threads(0, {})


@pytest.fixture
def production_environment(monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("LODESTAR_WEB_WORKERS", raising=False)
    monkeypatch.delenv("LODESTAR_WEB_THREADS", raising=False)


@pytest.fixture
def exec_calls(monkeypatch):
    """`serve` ends by replacing itself with granian: record the command instead."""
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, args: calls.append((path, args)))
    return calls


def test_serve_becomes_granian_serving_the_wsgi_application(db, production_environment, exec_calls, monkeypatch):
    commands = []
    monkeypatch.setattr(serve, "call_command", lambda name, **options: commands.append((name, options)))
    monkeypatch.setattr(deployment, "available_cores", lambda: 3)
    out = StringIO()
    call_command("serve", "--host", "127.0.0.1", "--port", "8123", stdout=out, stderr=StringIO())

    assert "collectstatic" not in [name for name, _options in commands]  # a step of installing and upgrading
    ((path, args),) = exec_calls
    assert path == sys.executable == args[0]
    command = " ".join(args)
    assert command.startswith(f"{sys.executable} -m granian --interface wsgi ")
    assert command.endswith(" lodestar.wsgi:application")
    for option in ("--host 127.0.0.1", "--port 8123", "--workers 3", "--blocking-threads 2", "--no-ws"):
        assert f" {option} " in command
    assert "with 3 worker(s) × 2 thread(s)" in out.getvalue()


def test_serve_takes_its_counts_from_the_options_and_collects_static_files_when_asked(
    db, production_environment, exec_calls, monkeypatch
):
    commands = []
    monkeypatch.setattr(serve, "call_command", lambda name, **options: commands.append((name, options)))
    call_command("serve", "--workers", "5", "--threads", "1", "--collectstatic", stdout=StringIO(), stderr=StringIO())
    assert ("collectstatic", {"interactive": False, "verbosity": 0}) in commands
    ((_path, args),) = exec_calls
    command = " ".join(args)
    assert " --workers 5 " in command and " --blocking-threads 1 " in command
    assert " --port 8000 " in command


def test_serve_refuses_to_start_when_the_deployment_checks_find_an_error(db, production_environment, exec_calls):
    """Django's checks with the deployment ones run first, as for `check --deploy`; an error stops
    serve (here the tests' in-memory mail backend: production always sends over SMTP)."""
    with pytest.raises(SystemCheckError, match=r"mail\.E001"):
        call_command("serve", skip_checks=False, stdout=StringIO(), stderr=StringIO())
    assert exec_calls == []


def test_serve_refuses_a_database_with_migrations_to_apply(db, production_environment, exec_calls, monkeypatch):
    pending = [(Migration("0099_coming_up", "okrs"), False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pending)
    with pytest.raises(
        CommandError, match=r"1 migration\(s\) are not applied \(okrs.0099_coming_up\).*lodestar migrate"
    ):
        call_command("serve", stdout=StringIO(), stderr=StringIO())
    assert exec_calls == []


def test_serve_refuses_until_every_static_file_of_this_version_is_collected(
    db, production_environment, exec_calls, settings, tmp_path
):
    """Production's manifest storage names each file by its content hash: a page whose stylesheet
    is not in the manifest would fail (Django raises for an unknown static file)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with pytest.raises(CommandError, match=r"No static files are collected .*lodestar collectstatic --no-input"):
        call_command("serve", stdout=StringIO(), stderr=StringIO())

    sources = sorted({path for finder in finders.get_finders() for path, _storage in finder.list(serve.IGNORED)})
    manifest = {"version": "1.1", "hash": "", "paths": {path: path for path in sources[1:]}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=rf"1 static file\(s\) are not collected .*\(e.g. {re.escape(sources[0])}\)"):
        call_command("serve", stdout=StringIO(), stderr=StringIO())
    assert exec_calls == []

    manifest["paths"][sources[0]] = sources[0]
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    call_command("serve", stdout=StringIO(), stderr=StringIO())
    assert len(exec_calls) == 1


def test_the_environment_example_lists_every_variable_the_settings_and_serve_read():
    """deploy/lodestar.env.example is the reference of the environment: nothing read is missing
    from it, and it names nothing that nobody reads."""
    read = set(
        re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', (ROOT / "lodestar" / "settings.py").read_text())
    )
    read |= {deployment.WORKERS_VARIABLE, deployment.THREADS_VARIABLE}
    example = (ROOT / "deploy" / "lodestar.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set()
    assert listed - read == set()


def test_the_environment_example_reads_in_a_shell_as_systemd_reads_it():
    """docs/deploy.md's lodestar-run sources the file in bash; its values survive as written."""
    result = subprocess.run(
        ["bash", "-ac", '. deploy/lodestar.env.example && printf "%s|%s" "$DJANGO_ENV" "$DEFAULT_FROM_EMAIL"'],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "production|Lodestar <okr@example.com>"


# --- behind the TLS proxy ------------------------------------------------------------------------


def test_behind_the_proxy_failed_sign_ins_count_per_client_address(client, cast, settings):
    """ALLAUTH_TRUSTED_PROXY_COUNT=1 (docs/deploy.md): the address the proxy appended to
    X-Forwarded-For is the client's; what a client wrote before it is not believed."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("account_login")
    for attempt in range(10):  # failed sign-ins: 10 a minute per address (5 per account)
        response = client.post(
            url,
            {"login": f"nobody{attempt}@acme.test", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7",
        )
        assert "Too many failed login attempts" not in response.content.decode()
    refused = client.post(
        url, {"login": "member@acme.test", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7"
    )
    assert "Too many failed login attempts" in refused.content.decode()
    another = client.post(url, {"login": "member@acme.test", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert "Too many failed login attempts" not in another.content.decode()
    assert another.status_code == 302


def _settings_read_from(environment: dict) -> dict:
    """The proxy settings lodestar/settings.py derives from ``environment`` (a fresh process)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("BEHIND_TLS_PROXY", "ALLAUTH_TRUSTED_PROXY_COUNT")
    }
    script = (
        "import json; from lodestar import settings as s; "
        "print(json.dumps({'count': s.ALLAUTH_TRUSTED_PROXY_COUNT, 'ssl': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**env, **environment}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_behind_the_tls_proxy_the_one_proxy_in_front_is_trusted_for_the_client_address():
    """BEHIND_TLS_PROXY=true alone (docs/deploy.md) already counts sign-ins per client address: one
    proxy (Caddy or nginx) sets X-Forwarded-For. ALLAUTH_TRUSTED_PROXY_COUNT still overrides it."""
    assert _settings_read_from({"BEHIND_TLS_PROXY": "true"})["count"] == 1
    assert _settings_read_from({"BEHIND_TLS_PROXY": "true", "ALLAUTH_TRUSTED_PROXY_COUNT": "2"})["count"] == 2
    # Without a proxy nobody's header is believed: a client could pick any address it likes.
    assert _settings_read_from({})["count"] == 0


def test_behind_the_tls_proxy_ten_failed_sign_ins_of_one_client_do_not_lock_out_another(client, cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = _settings_read_from({"BEHIND_TLS_PROXY": "true"})["count"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    url = reverse("account_login")
    client_a, client_b = "198.51.100.20", "203.0.113.30"
    for attempt in range(10):
        # Client A guesses, and forges B's address in front of its own (the proxy appends the real one).
        forged = f"{client_b}, {client_a}" if attempt % 2 else client_a
        client.post(url, {"login": f"nobody{attempt}@acme.test", "password": "guess"}, HTTP_X_FORWARDED_FOR=forged)
    locked = client.post(url, {"login": "admin@acme.test", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=client_a)
    assert "Too many failed login attempts" in locked.content.decode()
    response = client.post(url, {"login": "member@acme.test", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=client_b)
    assert "Too many failed login attempts" not in response.content.decode()
    assert response.status_code == 302
