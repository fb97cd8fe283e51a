"""What the legacy import leaves behind: which interview came from which file and row."""

from django.conf import settings
from django.db import models

from benchmarking.models import Interview


class ImportedBenchmarking(models.Model):
    """An interview imported from the earlier database, with its legacy report code.

    The report code is the import's key: importing the same file twice finds every code
    already here and creates nothing new.
    """

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="imported")
    report_code = models.CharField(max_length=40, unique=True, help_text="As it was in the earlier database.")
    source_file = models.CharField(max_length=255)
    source_row = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "source_row"]
        verbose_name = "imported benchmarking"

    def __str__(self):
        return f"{self.report_code} (from {self.source_file}, row {self.source_row})"
