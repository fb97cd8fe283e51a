"""SQLite holds up with several concurrent writers (WAL, busy timeout, IMMEDIATE transactions)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.slow  # forks, seed_demo, concurrency or property-based: not in make test-fast


def test_concurrent_read_then_write_transactions_never_fail(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "clusters", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "tests/sqlite_writers.py", "8", "25"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"succeeded": 8 * 25, "stored": 8 * 25, "errors": []}
