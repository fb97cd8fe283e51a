"""The site's file storages (STORAGES; FILE_STORAGE chooses, docs/deployment.md).

Everything the site writes (issued report PDFs, and later the import's uploads) goes through
Django's storage API, so that one setting moves it from one server's disk to the shared
database: `local` (the default; make run, a single server) or `database` (several servers).
"""

import os
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible

from ecei_site.models import StoredFile


@deconstructible
class LocalFileStorage(FileSystemStorage):
    """Files on this server's disk (MEDIA_ROOT) that appear whole: each is written under a
    temporary name and then linked into place, so a concurrent reader never opens half a file
    (FileSystemStorage writes in place), and a name already taken is never overwritten."""

    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        if self.directory_permissions_mode is not None:
            os.chmod(directory, self.directory_permissions_mode)
        fd, partial = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk)
            if self.file_permissions_mode is not None:
                os.chmod(partial, self.file_permissions_mode)
            while True:
                try:
                    os.link(partial, self.path(name))
                    break
                except FileExistsError:  # taken since get_available_name: pick another, as Django does
                    name = self.get_available_name(name)
        finally:
            os.unlink(partial)
        return str(name).replace("\\", "/")


@deconstructible
class BackupStorage(LocalFileStorage):
    """The backups' storage: files under BACKUP_DIR, read when used (a command's --dir or a test moves it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.BACKUP_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


@deconstructible
class DatabaseStorage(Storage):
    """Files as rows of ecei_site.StoredFile, in the database every app server shares.

    Our own small class: django-db-file-storage names each file after a model and its fields and
    stores base64 text; django-binary-database-files still writes to the local disk (hash files
    on delete, an export on save) and opens a missing name as an empty file. Here a missing name
    is FileNotFoundError and a name is written once (the unique name decides a race)."""

    def _open(self, name, mode="rb"):
        if set(mode) - set("rb"):
            raise ValueError("Files in the database are opened for reading; save() writes them.")
        try:
            content = StoredFile.objects.values_list("content", flat=True).get(name=name)
        except StoredFile.DoesNotExist:
            raise FileNotFoundError(f"No stored file named {name!r}.") from None
        return ContentFile(bytes(content), name=name)

    def _save(self, name, content):
        data = b"".join(content.chunks())
        while True:
            try:
                with transaction.atomic():  # a savepoint: a name taken meanwhile leaves the caller's transaction whole
                    StoredFile.objects.create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                name = self.get_available_name(name)

    def delete(self, name):
        StoredFile.objects.filter(name=name).delete()

    def exists(self, name):
        return StoredFile.objects.filter(name=name).exists()

    def size(self, name):
        return self._row(name)["size"]

    def get_created_time(self, name):
        return self._row(name)["created_at"]

    get_modified_time = get_created_time  # a stored file is never changed, only replaced

    def listdir(self, path):
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        directories, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True):
            head, slash, _rest = name[len(prefix) :].partition("/")
            (directories.add(head) if slash else files.append(head))
        return sorted(directories), files

    def url(self, name):
        raise NotImplementedError("Stored files are served by the site's own views, never by URL.")

    def _row(self, name):
        try:
            return StoredFile.objects.values("size", "created_at").get(name=name)
        except StoredFile.DoesNotExist:
            raise FileNotFoundError(f"No stored file named {name!r}.") from None
