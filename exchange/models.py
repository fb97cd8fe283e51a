"""What the legacy import leaves behind: which interview came from which file and row."""

from django.conf import settings
from django.db import models

from benchmarking.models import Interview


class ImportedBenchmarking(models.Model):
    """An interview imported from the earlier database, with its legacy report code.

    Importing the same file twice creates nothing new: a report code imported before, or an
    interview of the same cluster on the same day, is skipped (exchange/services/legacy_import.py).
    """

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="imported")
    report_code = models.CharField(max_length=40, blank=True, help_text="As it was in the earlier database.")
    source_file = models.CharField(max_length=255)
    source_row = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "source_row"]
        verbose_name = "imported benchmarking"
        constraints = [
            models.UniqueConstraint(
                fields=["report_code"], condition=~models.Q(report_code=""), name="imported_report_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.report_code} (from {self.source_file}, row {self.source_row})"
