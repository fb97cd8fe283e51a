"""What the legacy import leaves behind: which interview came from which file and row."""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# --- The import as a background job (issue 26) ------------------------------------------------


class ImportJob(models.Model):
    """One uploaded legacy file on its way in, run by the worker in batches (exchange/jobs.py).

    Its phases: the file's rows are stored (READING), each is checked by the forms' rules once
    and its values kept (CHECKING), then planned by the write rules in batches, nothing written
    (RULES): that is the dry run,
    which ends CHECKED (with every row's errors, or clean). Applying writes the same batches,
    each in a short transaction of its own with `position` (the last row written, in the order
    of the batches) saved in it, so that a batch is in whole or not at all, and a failed apply
    resumes after the last batch it committed. A row written before is skipped: applying twice
    creates nothing new.
    """

    class Phase(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking each row")
        RULES = "rules", _("Checking the import rules")
        CHECKED = "checked", _("Checked")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Stopped")

    RUNNING = (Phase.QUEUED, Phase.READING, Phase.CHECKING, Phase.RULES, Phase.APPLYING)

    filename = models.CharField(max_length=255)
    stored_as = models.CharField(max_length=255, help_text="The uploaded file's name in the site's storage.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the command may run without a user
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    language = models.CharField(max_length=10, help_text="The uploader's: the rows' errors are written in it.")
    apply_when_clean = models.BooleanField(default=False, help_text="Import at once if the check finds no error.")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.QUEUED)
    rows = models.PositiveIntegerField(default=0, help_text="Rows in the file (known once read).")
    done = models.PositiveIntegerField(default=0, help_text="Rows through the current phase.")
    position = models.CharField(max_length=400, blank=True, help_text="The last row's order key of the phase.")
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    problem = models.TextField(blank=True, help_text="Why the file could not be read, or why applying stopped.")
    stopped_in = models.CharField(max_length=10, blank=True, help_text="The phase a resumable stop happened in.")
    checked_catalogues = models.JSONField(
        default=dict, blank=True, help_text="{catalogue id: fingerprint of its indicators} as the rows were checked."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "legacy import"

    def __str__(self):
        return f"{self.filename} ({self.phase})"

    @property
    def running(self) -> bool:
        return self.phase in self.RUNNING

    STALLED_AFTER = datetime.timedelta(minutes=10)

    @property
    def stalled(self) -> bool:
        """Running, yet unchanged for ten minutes: no worker is on it (one stopped between two steps)."""
        return self.running and self.updated_at < timezone.now() - self.STALLED_AFTER

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.rows)) if self.rows else 0


class ImportRow(models.Model):
    """A row of an import job's file, its cells as read, its errors and what became of it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(help_text="As numbered in a spreadsheet (the header is row 1).")
    cells = models.JSONField()
    order_key = models.CharField(max_length=400, blank=True, help_text="Cluster, country, date, row: batch order")
    errors = models.JSONField(default=list, blank=True, help_text="[column, value, reason], ...")
    # What the check found, read once by the forms' rules: the dry run and the apply write from
    # it (exchange/services/import_steps.py) instead of asking the forms again.
    values = models.JSONField(
        null=True, blank=True, encoder=DjangoJSONEncoder, help_text="The row's checked values (no errors)."
    )
    outcome = models.CharField(max_length=10, blank=True)  # "created", "skipped"
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["row"]
        constraints = [models.UniqueConstraint(fields=["job", "row"], name="import_row_unique")]
        indexes = [models.Index(fields=["job", "order_key"], name="import_row_order")]

    def __str__(self):
        return f"row {self.row} of {self.job}"
