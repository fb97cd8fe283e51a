"""Writes of the open data: the yearly snapshots of the dataset."""

import datetime
import hashlib
import json
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from benchmarking.models import Label
from directory.selectors import public_clusters
from opendata import dataset, descriptors
from opendata.models import DatasetSnapshot

FOLDER = "opendata"


class SnapshotRefused(Exception):
    pass


def snapshot_refusal(*, year: int, today: datetime.date) -> str:
    """Why a snapshot of `year` may not be made now; empty when it may. Only the current year's:
    a past year's snapshot is a published version and stays as it was made."""
    if year != today.year:
        return f"Only the current year's snapshot ({today.year}) can be made; {year}'s is kept as it was made."
    return ""


def snapshot_stale(snapshot: DatasetSnapshot | None, today: datetime.date) -> bool:
    """The current year's snapshot is made again once a day when downloaded."""
    return snapshot is None or (snapshot.year == today.year and snapshot.version != dataset.version_of(today))


def snapshot_make(*, today: datetime.date | None = None) -> DatasetSnapshot:
    """Make (or make again) the current year's snapshot: a ZIP with datapackage.json, the three
    tables as CSV and all of them as one JSON document, stored under a name of its version."""
    today = today or timezone.localdate()
    refusal = snapshot_refusal(year=today.year, today=today)
    if refusal:
        raise SnapshotRefused(refusal)
    version = dataset.version_of(today)
    counts = {"clusters": public_clusters(today).count(), "labels": Label.objects.count()}
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            paths = {table: f"{table}.csv" for table in dataset.TABLES}
            for table, path in paths.items():
                with archive.open(path, "w") as member:
                    for chunk in dataset.csv_lines(table, today):
                        member.write(chunk.encode())
            with archive.open("ecei-open-data.json", "w") as member:
                for chunk in dataset.json_chunks(today):
                    member.write(chunk.encode())
            descriptor = descriptors.datapackage(today, paths)
            archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        size = handle.tell()
        handle.seek(0)
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
        handle.seek(0)
        name = default_storage.save(f"{FOLDER}/ecei-open-data-{version}.zip", File(handle))
    with transaction.atomic():
        former = DatasetSnapshot.objects.select_for_update().filter(year=today.year).first()
        snapshot, _ = DatasetSnapshot.objects.update_or_create(
            year=today.year,
            defaults={
                "version": version,
                "made_at": timezone.now(),
                "file_name": name,
                "size": size,
                "sha256": digest,
                "clusters": counts["clusters"],
                "labels": counts["labels"],
            },
        )
        if former and former.file_name != name:
            transaction.on_commit(lambda: default_storage.delete(former.file_name))
    return snapshot
