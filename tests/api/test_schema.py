"""The published OpenAPI schema is the contract of ``/api/v1/``: schemathesis runs every phase
(examples, coverage, fuzzing, stateful) with every check against a live server, with the owner's
read-and-write token, a fixed seed and a bounded number of examples. No server error, no answer
outside the schema, no schema-valid request refused, no schema-violating request accepted."""

import json
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


def run_schemathesis(base_url: str, token: str, report: Path, *options: str) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--checks=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--generation-database=none",
        "--workers=1",  # the test server shares one database connection between its threads
        "--no-shrink",
        "--continue-on-failure",
        "--request-timeout=30",
        f"--header=Authorization: Bearer {token}",
        "--report=ndjson",
        f"--report-ndjson-path={report}",
        "--no-color",
        "--output-truncate=true",
        *options,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def failures_per_check(report: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in report.read_text().splitlines():
        counts_in_line(json.loads(line), counts)
    return counts


def counts_in_line(event, counts) -> None:
    """Failed checks anywhere in an ndjson event (their layout differs between event kinds)."""
    if isinstance(event, dict):
        if event.get("status") == "FAILURE" and isinstance(event.get("name"), str) and "failure_info" in event:
            counts[event["name"]] = counts.get(event["name"], 0) + 1
        for value in event.values():
            counts_in_line(value, counts)
    elif isinstance(event, list):
        for value in event:
            counts_in_line(value, counts)


@pytest.fixture
def quick_answers(monkeypatch):
    """The test server answers without Nagle's delay: its headers and body go out in two writes, and
    each would wait ~40 ms for the client's delayed acknowledgement (thousands of calls here)."""
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("quick_answers")
def test_the_api_keeps_its_published_schema_under_every_schemathesis_check(live_server, token, tmp_path):
    report = tmp_path / "schemathesis.ndjson"
    result = run_schemathesis(live_server.url, token, report)
    assert result.returncode == 0, f"{failures_per_check(report)}\n{result.stdout[-20000:]}{result.stderr[-4000:]}"
