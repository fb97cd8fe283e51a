"""Every test file in the repository is collected by a plain `pytest` (as `make test` and CI run it).

A `testpaths` or `norecursedirs` that leaves an app out, or a test file pytest cannot import,
would otherwise pass silently: its tests would simply never run.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _test_files_in_repository() -> set[str]:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*test_*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {path for path in tracked if Path(path).name.startswith("test_") and (ROOT / path).exists()}


def _collected_test_files() -> set[str]:
    # -qq prints one "path: N" line per collected file; no test is run. `make test` and CI run the
    # suite on two workers (pytest-xdist), each of which collects every file as this plain run
    # does (xdist stops the run when the workers' collections differ); -n 0 collects here, in one
    # process, whatever -n PYTEST_ADDOPTS may give. The worker running this test leaves its
    # PYTEST_XDIST_* variables out: this pytest is no worker of that run.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-qq", "-p", "no:randomly", "-n", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {line.split(":")[0] for line in result.stdout.splitlines() if line.endswith(tuple("0123456789"))}


def test_every_test_file_is_collected():
    in_repository = _test_files_in_repository()
    assert len(in_repository) > 80  # the walk found the tests at all
    assert in_repository - _collected_test_files() == set()


def test_the_modules_kept_on_one_worker_are_test_files():
    """conftest.py's xdist scheduler keeps these modules on one worker by their node ids' paths:
    a module renamed or moved would silently be shared between the workers again."""
    from conftest import ONE_WORKER_MODULES

    assert ONE_WORKER_MODULES and ONE_WORKER_MODULES <= _test_files_in_repository()
