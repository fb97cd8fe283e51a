"""manage.py backup and restore, on whichever database the suite runs on (SQLite and PostgreSQL in CI)."""

import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from benchmarking.models import Answer, Interview, Label, Report
from benchmarking.services.reports import report_issue
from clusters.models import Cluster
from ecei_site.backups import _run
from tests.factories import approved_interview

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}[connection.vendor]


def _rows():
    """Every row of the tables that matter, as plain values, to compare before and after."""
    return {
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password")),
        "clusters": list(Cluster.objects.order_by("pk").values_list("pk", "name", "slug", "country", "website")),
        "interviews": list(Interview.objects.order_by("pk").values_list("pk", "status", "version", "date")),
        "answers": list(Answer.objects.order_by("pk").values()),
        "labels": list(Label.objects.order_by("pk").values_list("pk", "code", "valid_until", "status")),
        "reports": list(Report.objects.order_by("pk").values_list("pk", "code", "snapshot")),
        "interview history": list(get_history_model_for_model(Interview).objects.order_by("pk").values_list()),
    }


@pytest.fixture
def backup_dir(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def site_data(transactional_db, seed_clusters, staff_user):
    interview = approved_interview()
    report_issue(interview=interview, user=staff_user)
    return _rows()


def _backup(capsys, *args) -> Path:
    call_command("backup", *args)
    (path,) = re.findall(r"Backup written: (\S+)", capsys.readouterr().out)
    return Path(path)


def test_it_backs_up_wipes_restores_and_finds_the_same_rows(site_data, backup_dir, capsys):
    assert all(site_data.values()), "every table has rows to lose"
    path = _backup(capsys)
    call_command("flush", interactive=False)
    assert Cluster.objects.count() == 0 and Report.objects.count() == 0

    call_command("restore", str(path), interactive=False)

    assert _rows() == site_data


def test_the_file_name_carries_the_date_and_is_private(site_data, backup_dir, capsys):
    path = _backup(capsys)
    assert path.parent == backup_dir
    assert re.fullmatch(rf"ecei-\d{{8}}-\d{{6}}{re.escape(SUFFIX)}", path.name)
    stamp = datetime.datetime.strptime(path.name[5:20], "%Y%m%d-%H%M%S")
    assert abs(stamp - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=1)
    assert path.stat().st_mode & 0o077 == 0
    assert not list(backup_dir.glob("*.partial"))


def test_a_restore_saves_the_current_database_first(site_data, backup_dir, capsys):
    path = _backup(capsys)
    Cluster.objects.filter(pk=Cluster.objects.order_by("pk").first().pk).update(name="Renamed after the backup")
    call_command("restore", str(path), interactive=False)
    (safety,) = backup_dir.glob(f"*-before-restore{SUFFIX}")

    assert not Cluster.objects.filter(name="Renamed after the backup").exists()
    call_command("restore", str(safety), interactive=False, no_safety_backup=True)
    assert Cluster.objects.filter(name="Renamed after the backup").exists()


def test_a_backup_is_restored_by_its_name_in_the_backups_storage(site_data, backup_dir, capsys):
    path = _backup(capsys)
    call_command("flush", interactive=False)
    call_command("restore", path.name, interactive=False, no_safety_backup=True)
    assert _rows() == site_data


def test_keep_deletes_all_but_the_newest(site_data, backup_dir, capsys):
    old = [backup_dir / f"ecei-2025010{day}-061500{SUFFIX}" for day in (1, 2, 3)]
    backup_dir.mkdir()
    for age, path in enumerate(old):
        path.write_bytes(b"old")
        stamp = timezone.now().timestamp() - 86400 * (10 - age)
        os.utime(path, (stamp, stamp))
    call_command("backup", keep=2)
    remaining = sorted(p.name for p in backup_dir.iterdir())
    assert len(remaining) == 2 and old[2].name in remaining and old[0].name not in remaining


def test_keep_must_count_the_new_backup(db, backup_dir):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backup", keep=0)


def test_it_refuses_a_file_that_is_no_backup_and_changes_nothing(site_data, tmp_path):
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(stranger), interactive=False)
    assert _rows() == site_data


def test_it_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(tmp_path / "nowhere.sqlite3"), interactive=False)


def test_it_refuses_a_backup_of_the_other_database_kind(site_data, tmp_path):
    other = tmp_path / "other"
    other.write_bytes(b"PGDMP\x01\x0e" if connection.vendor == "sqlite" else b"SQLite format 3\x00")
    with pytest.raises(CommandError, match="backup; this site runs on"):
        call_command("restore", str(other), interactive=False)
    assert _rows() == site_data


def _damaged(path: Path, tmp_path: Path) -> Path:
    """The backup at `path` cut in half, as a full disk or an interrupted copy leaves it."""
    content = path.read_bytes()
    damaged = tmp_path / f"damaged{SUFFIX}"
    damaged.write_bytes(content[: len(content) // 2])
    return damaged


def _garbage(tmp_path: Path) -> Path:
    """The right first bytes (the kind is recognised), nothing of a database after them."""
    magic = b"SQLite format 3\x00" if connection.vendor == "sqlite" else b"PGDMP"
    garbage = tmp_path / f"garbage{SUFFIX}"
    garbage.write_bytes(magic + bytes(range(256)) * 64)
    return garbage


def _foreign(tmp_path: Path) -> Path:
    """A whole, readable database of another program."""
    foreign = tmp_path / f"places{SUFFIX}"
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(foreign)) as db, db:
            db.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
            db.execute("INSERT INTO bookmarks (url) VALUES ('https://example.org/')")
    else:  # a whole, readable dump of one table that is not this site's (a library's)
        _run(["pg_dump", "--format=custom", "--table=django_content_type", f"--file={foreign}"])
    return foreign


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda path, tmp: _damaged(path, tmp), "", id="a backup cut in half"),
        pytest.param(lambda path, tmp: _garbage(tmp), "", id="garbage after the right first bytes"),
        pytest.param(lambda path, tmp: _foreign(tmp), "not a backup of this site", id="another program's database"),
    ],
)
def test_it_refuses_a_damaged_or_foreign_file_and_changes_nothing(site_data, backup_dir, capsys, tmp_path, make, words):
    bad = make(_backup(capsys), tmp_path)
    saved = set(backup_dir.iterdir())
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(bad), interactive=False)
    message = str(refusal.value)
    assert bad.name in message and words in message
    assert any(reason in message for reason in ("damaged", "not a backup of this site", "pg_restore failed"))
    assert _rows() == site_data
    assert set(backup_dir.iterdir()) == saved  # refused before the safety backup: not even that was written


def test_it_asks_before_replacing_everything(site_data, backup_dir, capsys, monkeypatch):
    path = _backup(capsys)
    Cluster.objects.update(website="https://changed.example.org")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(path))
    assert set(Cluster.objects.values_list("website", flat=True)) == {"https://changed.example.org"}


# --- A backup while 8 writers are at work ------------------------------------------------------


def _manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def live_database_env(transactional_db, tmp_path):
    """Environment for other processes to use a database of this test: a SQLite file of its own
    (the suite's SQLite database lives in memory), or the suite's PostgreSQL test database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["PYTHONPATH"] = str(ROOT)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'live.sqlite3'}"
        _manage("migrate", "-v0", env=env)
    else:
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return env


COUNT_PAIRS = (
    "from clusters.models import Cluster; names = set(Cluster.objects.filter(slug__startswith='w')"
    ".values_list('name', flat=True)); a = {n[:-2] for n in names if n.endswith('-a')}; "
    "b = {n[:-2] for n in names if n.endswith('-b')}; print(len(a), len(b), len(a ^ b))"
)


@pytest.mark.slow
def test_a_backup_taken_during_8_concurrent_writers_is_consistent(live_database_env, tmp_path):
    env, stop = live_database_env, tmp_path / "stop"
    command = [sys.executable, "tests/backup_writers.py", "8", str(stop)]
    writers = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert writers.stdout.readline().strip() == "ready"
        output = _manage("backup", "--dir", str(tmp_path / "backups"), env=env)
        time.sleep(0.5)  # the writers go on after the backup
    finally:
        stop.touch()
        final = json.loads(writers.communicate(timeout=120)[0].strip().splitlines()[-1])
    assert writers.returncode == 0 and final["errors"] == []
    (path,) = re.findall(r"Backup written: (\S+)", output)

    _manage("restore", path, "--noinput", "--no-safety-backup", env=env)

    a, b, unpaired = map(int, _manage("shell", "-v0", "-c", COUNT_PAIRS, env=env).split())
    assert unpaired == 0, "a transaction was copied halfway"
    assert a == b and 8 <= a < final["pairs"], (a, final)


@pytest.mark.slow
def test_a_damaged_file_gets_a_message_and_a_failing_exit_code_not_a_traceback(live_database_env, tmp_path):
    env = live_database_env
    output = _manage("backup", "--dir", str(tmp_path / "backups"), env=env)
    (path,) = re.findall(r"Backup written: (\S+)", output)
    damaged = _damaged(Path(path), tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(damaged), "--noinput", "--no-safety-backup"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and damaged.name in result.stderr, result.stderr
