"""Reports: the recommendation rules (editable data) and the issued reports (snapshots)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from benchmarking.awarding import awarding_body
from benchmarking.models.catalogue import Indicator
from benchmarking.models.interviews import Interview
from ecei_site.json_text import JSONDocumentField, JSONTextEncoder


class RecommendationRule(models.Model):
    """A rule that turns a cluster's standing into a recommendation (editable data)."""

    class Group(models.TextChoices):
        PORTFOLIO = "portfolio", _("Same comparative portfolio")
        COUNTRY = "country", _("Same country")
        ALL = "all", _("All benchmarked clusters")
        EXCELLENCE = "excellence", _("Excellence group (Gold)")

    class Condition(models.TextChoices):
        BELOW_PERCENTILE = "below_percentile", _("Below a percentile of the group")
        ABOVE_PERCENTILE = "above_percentile", _("Above a percentile of the group")
        BELOW_VALUE = "below_value", _("Below a value")
        ABOVE_VALUE = "above_value", _("Above a value")
        ANSWER_IS = "answer_is", _("A specific answer")

    class Serves(models.TextChoices):
        SILVER = "silver", _("Silver requirement")
        GOLD = "gold", _("Gold requirement")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="recommendation_rules")
    condition = models.CharField(max_length=20, choices=Condition.choices)
    group = models.CharField(max_length=12, choices=Group.choices, default=Group.PORTFOLIO, blank=True)
    threshold = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="The percentile (0–100) or the value."
    )
    answer = models.CharField(max_length=200, blank=True, help_text="For 'a specific answer'.")
    text = models.TextField()
    serves = models.CharField(max_length=6, choices=Serves.choices, default=Serves.SILVER)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["indicator__category__order", "indicator__order", "id"]

    def __str__(self):
        return f"{self.indicator.code}: {self.get_condition_display()}"


class Report(models.Model):
    """An issued individual benchmarking report: a snapshot that never changes."""

    code = models.CharField(max_length=24, unique=True)
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # JSONDocumentField: written once, read whole, never queried inside (PostgreSQL's json, not jsonb).
    # JSONTextEncoder: a bulk issue hands over snapshots its workers already encoded (ecei_site.json_text).
    snapshot = JSONDocumentField(
        encoder=JSONTextEncoder, help_text="Groups, statistics and recommendations as issued (in English)."
    )
    # The same snapshot written in the other languages, built at issue from the same inputs:
    # a reader in Spanish sees the numbers a reader in English sees.
    translations = JSONDocumentField(
        encoder=JSONTextEncoder,
        default=dict,
        blank=True,
        help_text='The snapshot in each other language, e.g. {"de": {...}}.',
    )

    # The document itself, about 270 KB in three languages: a list of reports leaves it out (defer).
    DOCUMENT_FIELDS = ("snapshot", "translations")

    class Meta:
        ordering = ["-issued_at"]
        # The default order with the admin's tie-break, the changelist's (issue 30).
        indexes = [models.Index(fields=["-issued_at", "-id"], name="report_issued_id")]
        constraints = [
            models.UniqueConstraint(fields=["interview", "version"], name="one_report_per_interview_version")
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("benchmarking:report", kwargs={"code": self.code})

    @property
    def awarding_body(self):
        """The body that awards the labels, on the day the report was issued (benchmarking.awarding)."""
        return awarding_body(timezone.localdate(self.issued_at))

    def snapshot_in(self, language: str) -> dict:
        """The snapshot in `language` ("de", "de-at"); English for reports issued before translations."""
        return self.translations.get(language.split("-")[0]) or self.snapshot
