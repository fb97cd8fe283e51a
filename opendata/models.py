from django.db import models


class DatasetSnapshot(models.Model):
    """A year's copy of the open dataset (a ZIP: the tables as CSV and JSON, and their
    datapackage.json), kept in the site's storage (STORAGES["default"], like issued reports).

    A past year's snapshot is kept as it was made; the current year's is made again by
    `manage.py opendata_snapshot` (or on its first download of a day): opendata/services.py.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    version = models.CharField(max_length=20)  # the day it describes: 2026.12.06
    made_at = models.DateTimeField()
    file_name = models.CharField(max_length=200)  # its name in the storage
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    clusters = models.PositiveIntegerField()
    labels = models.PositiveIntegerField()

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Open data {self.year} (version {self.version})"
