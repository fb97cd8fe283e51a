"""The site's file storages (ecei_site/storage.py): FILE_STORAGE=local on this server's disk,
FILE_STORAGE=database in the database every app server shares. Both behave alike to their callers."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecei_site.models import StoredFile
from ecei_site.shared_state import file_storage_config


@pytest.fixture(params=["local", "database"])
def storage(request, settings, db):
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_config(request.param)}
    return storages["default"]


def test_a_file_is_read_back_as_written(storage):
    name = storage.save("reports/a.pdf", ContentFile(b"%PDF one"))
    assert name == "reports/a.pdf" and storage.exists(name) and storage.size(name) == 8
    with storage.open(name) as file:
        assert file.read() == b"%PDF one"
    assert storage.get_modified_time(name) is not None


def test_a_taken_name_is_never_overwritten(storage):
    storage.save("reports/a.pdf", ContentFile(b"first"))
    other = storage.save("reports/a.pdf", ContentFile(b"second"))
    assert other != "reports/a.pdf" and other.startswith("reports/a_")
    with storage.open("reports/a.pdf") as file:
        assert file.read() == b"first"


def test_a_missing_file_is_an_error_not_an_empty_file(storage):
    with pytest.raises(FileNotFoundError):
        storage.open("reports/nothing.pdf")
    with pytest.raises(FileNotFoundError):
        storage.size("reports/nothing.pdf")
    storage.delete("reports/nothing.pdf")  # deleting what is not there is no error


def test_it_lists_and_deletes(storage):
    for name in ("reports/a.pdf", "reports/b.pdf", "reports/old/c.pdf", "top.txt"):
        storage.save(name, ContentFile(b"x"))
    directories, files = storage.listdir("reports")
    assert (directories, sorted(files)) == (["old"], ["a.pdf", "b.pdf"])
    assert storage.listdir("")[0] == ["reports"]
    storage.delete("reports/a.pdf")
    assert not storage.exists("reports/a.pdf") and storage.exists("reports/b.pdf")


def test_in_the_database_nothing_touches_this_server_s_disk(settings, db):
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_config("database")}
    storage = storages["default"]
    with CaptureQueriesContext(connection) as queries:
        storage.save("reports/a.pdf", ContentFile(b"%PDF"))
    assert bytes(StoredFile.objects.get().content) == b"%PDF"
    assert any("INSERT" in query["sql"] for query in queries.captured_queries)
    assert not settings.MEDIA_ROOT.exists()
    with pytest.raises(ValueError, match="opened for reading"):
        storage.open("reports/a.pdf", "wb")


def test_an_unknown_storage_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE must be one of local, database"):
        file_storage_config("s3")
