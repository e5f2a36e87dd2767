"""The published OpenAPI schema is the contract of ``/api/v1/``: schemathesis runs every phase
(examples, coverage, fuzzing, stateful) with every check against a live server, with the owner's
read-and-write token, a fixed seed and a bounded number of examples. No server error, no answer
outside the schema, no schema-valid request refused, no schema-violating request accepted."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from lodestar.api import services

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SEED = 24
MAX_EXAMPLES = 8


@pytest.fixture
def token(world, settings):
    # Every write is tried by the owner, with every permission to pass; thousands of calls in a
    # minute stay under the rate limit.
    settings.LODESTAR_API_RATE = "1000000/min"
    _, text = services.create_token(actor=world.cast.owner, name="schemathesis", scope="read_write")
    return text


def run_schemathesis(base_url: str, token: str, *options: str) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--checks=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--generation-database=none",
        "--workers=1",  # the suite runs beside it on every core already
        "--no-shrink",
        "--continue-on-failure",
        "--request-timeout=30",
        f"--header=Authorization: Bearer {token}",
        "--no-color",
        "--output-truncate=true",
        *options,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)


def failures_per_check(output: str) -> dict[str, int]:
    """The summary's failure counts, e.g. {"ST202 Schema-valid request rejected": 3}."""
    return {name: int(count) for name, count in re.findall(r"❌ (ST\d+ [^:\n]+): (\d+)", output)}


@pytest.fixture
def quick_answers(monkeypatch):
    """The test server answers without Nagle's delay: its headers and body go out in two writes, and
    each would wait ~40 ms for the client's delayed acknowledgement (thousands of calls here)."""
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("quick_answers")
def test_the_api_keeps_its_published_schema_under_every_schemathesis_check(live_server, token):
    result = run_schemathesis(live_server.url, token)
    assert result.returncode == 0, (
        f"{failures_per_check(result.stdout)}\n{result.stdout[-20000:]}{result.stderr[-4000:]}"
    )
