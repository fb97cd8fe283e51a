"""Backups of the database, and restoring one.

A thin wrapper around each database's own tool for a consistent copy of a live database:
SQLite's online backup API (one step, inside one read transaction: writers carry on in WAL
mode and the copy is a snapshot) and PostgreSQL's pg_dump (a snapshot by design), restored by
the backup API again or by pg_restore in a single transaction. Either way, a restore is all or
nothing. File names carry the date and time: ecei-20261125-061500.sqlite3 or .pgdump.

The copy is made in a temporary file and then kept in the backups' storage
(STORAGES["backups"]: BACKUP_DIR by default), never in the database it copies. A restore reads
a local file, or a backup of that storage by its name.

Report PDFs kept on a disk (FILE_STORAGE=local) are not backed up: they are rendered again from
the report's snapshot (which is in the database) the first time someone asks for them. In the
database (FILE_STORAGE=database) they are part of the copy.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection
from django.utils import timezone

from ecei_site.storage import BackupStorage

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
# Tables every backup of this site holds, whatever its age: a file without them is another
# program's database, which a restore would put in place of this one.
PROJECT_TABLES = {"django_migrations", "clusters_cluster", "benchmarking_interview"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def backup_name(*, label: str = "") -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"ecei-{stamp}{'-' + label if label else ''}{SUFFIXES[connection.vendor]}"


def backups_storage(directory: Path | None = None) -> Storage:
    """STORAGES["backups"], or the directory a command names instead."""
    if directory is None:
        return storages["backups"]
    options = settings.STORAGES["backups"].get("OPTIONS", {})
    return BackupStorage(location=directory, **{k: v for k, v in options.items() if k != "location"})


def backup_location(storage: Storage, name: str) -> str:
    """Where a backup is, to print: its path on a disk, else its name in the storage."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return name


def backup_create(*, directory: Path | None = None, label: str = "") -> tuple[Storage, str]:
    """Make a consistent copy of the database, keep it under a new dated name in the backups'
    storage, and return that storage and the name."""
    storage = backups_storage(directory)
    with tempfile.TemporaryDirectory(prefix="ecei-backup-") as scratch:
        partial = Path(scratch) / "copy"  # never mistaken for a backup if we stop halfway
        if connection.vendor == "sqlite":
            _sqlite_backup(partial)
        elif connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"])
        else:
            raise BackupError(f"No backup method for {connection.vendor}.")
        with open(partial, "rb") as copy:
            name = storage.save(backup_name(label=label), File(copy))
    return storage, name


def backup_restore(path: Path) -> None:
    """Replace the whole database with the backup at `path` (a file, or a backup's name in the
    backups' storage), in one transaction; a backup that is not whole, not of this site or not
    of this database's kind changes nothing."""
    with local_backup(path) as path:
        kind = backup_check(path)
        if kind == "sqlite":
            _sqlite_restore(path)
        else:
            try:
                _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
                      f"--dbname={connection.settings_dict['NAME']}", str(path)])  # fmt: skip
            except BackupError as error:  # one transaction: rolled back
                raise BackupError(f"{path.name} could not be restored; nothing was changed. {error}") from error
    connection.close()  # the next query sees the restored database from a fresh connection


@contextmanager
def local_backup(path: Path):
    """A file to read the backup from: `path` itself when it is on this disk, else a temporary
    copy of the backup of that name in the backups' storage."""
    path = Path(path)
    storage = backups_storage()
    if path.exists() or len(path.parts) != 1 or not storage.exists(path.name):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="ecei-restore-") as scratch:
        copy = Path(scratch) / path.name
        with storage.open(path.name, "rb") as source, open(copy, "wb") as target:
            shutil.copyfileobj(source, target)
        yield copy


def backup_kind(path: Path) -> str:
    path = Path(path)
    try:
        with local_backup(path) as local, open(local, "rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path.name} is not a backup made by manage.py backup.")


def backup_check(path: Path) -> str:
    """The kind of the backup at `path` once it is known to be a readable, whole backup of this
    site's database of this site's kind; else BackupError saying why. Nothing is changed."""
    path = Path(path)
    kind = backup_kind(path)
    if kind != connection.vendor:
        raise BackupError(f"{path.name} is a {kind} backup; this site runs on {connection.vendor}.")
    tables = _sqlite_tables(path) if kind == "sqlite" else _pg_dump_tables(path)
    missing = sorted(PROJECT_TABLES - tables)
    if missing:
        raise BackupError(
            f"{path.name} is a {kind} database but not a backup of this site: it has no {', '.join(missing)} table."
        )
    return kind


def backups_prune(*, keep: int, directory: Path | None = None) -> list[str]:
    """Delete all but the `keep` newest backups of this database's kind; return the names deleted."""
    storage = backups_storage(directory)
    try:
        _directories, names = storage.listdir("")
    except FileNotFoundError:
        return []
    suffix = SUFFIXES[connection.vendor]
    backups = sorted((n for n in names if n.startswith("ecei-") and n.endswith(suffix)), key=storage.get_modified_time)
    old = backups[: max(len(backups) - keep, 0)]
    for name in old:
        storage.delete(name)
    return old


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_backup(target_path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        # pages=-1: the whole database in one step, i.e. one snapshot however busy the writers are.
        connection.connection.backup(target, pages=-1)
        _check_integrity(target, target_path)
    finally:
        target.close()


def _sqlite_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _sqlite_tables(path: Path) -> set[str]:
    """The tables of the SQLite file at `path`, after SQLite's integrity check."""
    source = _sqlite_read_only(path)
    try:
        _check_integrity(source, path)
        return {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as error:  # a damaged file fails as soon as SQLite reads its pages
        raise BackupError(f"{path.name} is damaged: SQLite cannot read it ({error}).") from error
    finally:
        source.close()


def _sqlite_restore(source_path: Path) -> None:
    source = _sqlite_read_only(source_path)
    try:
        _check_integrity(source, source_path)
        connection.ensure_connection()
        source.backup(connection.connection, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(f"{source_path.name} could not be restored: {error}. Nothing was changed.") from error
    finally:
        source.close()


def _check_integrity(db: sqlite3.Connection, path: Path) -> None:
    (result,) = db.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise BackupError(f"{path.name} is damaged: SQLite's integrity check found {result}")


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_dump_tables(path: Path) -> set[str]:
    """The tables in the pg_dump archive at `path`, once pg_restore has read all of it: its table
    of contents (--list), then every block, written to nowhere (a truncated archive fails here,
    not halfway through the restore)."""
    try:
        listing = _run(["pg_restore", "--list", str(path)])
        _run(["pg_restore", f"--file={os.devnull}", str(path)])
    except BackupError as error:
        raise BackupError(f"{path.name} is damaged or not a whole pg_dump archive: {error}") from error
    # A table's line of the listing: "215; 1259 16390 TABLE public clusters_cluster postgres".
    return {words[words.index("TABLE") + 2] for words in map(str.split, listing.splitlines()) if "TABLE" in words[:4]}


def _run(command: list[str]) -> str:
    """Run pg_dump or pg_restore against the site's database, credentials from the settings;
    return what it printed."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (fixed argv, no shell)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout
