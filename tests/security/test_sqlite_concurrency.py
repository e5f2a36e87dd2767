"""The embedded SQLite default queues simultaneous writers instead of failing them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_eight_people_checking_in_at_once_on_sqlite_never_see_database_is_locked(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'lodestar.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "security" / "sqlite_writers.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "saved=120 errors=[]" in result.stdout, result.stdout + result.stderr[-3000:]
