"""Comparison groups a cluster's managers choose (docs/comparisons.md).

The filters, the regions and the size bands are data; the confidentiality rules that decide
what a comparison may show live in comparisons/rules.py, nowhere else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """A European region as a set of countries, to filter by (data: the admin and a fixture)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    countries = models.JSONField(_("countries"), default=list, help_text='ISO 3166-1 alpha-2 codes, e.g. ["DE", "AT"].')
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("region")

    def __str__(self):
        return self.name


class SizeBand(models.Model):
    """A band of a cluster's size, read from one indicator's answer (data: which indicator, and
    the band's lower bound included and upper bound excluded)."""

    class Measure(models.TextChoices):
        MEMBERS = "members", _("Committed members")
        STAFF = "staff", _("Management staff (FTE)")
        BUDGET = "budget", _("Annual budget")

    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    indicator_code = models.CharField(
        _("indicator"), max_length=10, help_text="The indicator whose answer places a cluster in the band, e.g. A4."
    )
    name = models.CharField(_("name"), max_length=100)
    lower = models.DecimalField(_("from"), max_digits=14, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(_("below"), max_digits=14, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["measure", "order", "lower"]
        verbose_name = _("size band")
        constraints = [models.UniqueConstraint(fields=["measure", "name"], name="one_size_band_name_per_measure")]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.name}"

    def holds(self, value: float) -> bool:
        return (self.lower is None or value >= float(self.lower)) and (self.upper is None or value < float(self.upper))


class ShownGroup(models.Model):
    """The members of a group whose figures were shown for a cluster (to any of its managers or
    their tokens), once per distinct membership: what rules.differencing_refusal compares a new
    group with. Never shown to anybody: the ids are compressed int64s."""

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="+")
    catalogue = models.ForeignKey("benchmarking.Catalogue", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    members = models.BinaryField()
    first_shown_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "catalogue", "fingerprint"], name="one_shown_group_per_membership"
            )
        ]

    def __str__(self):
        return f"{self.cluster_id} {self.catalogue_id} {self.fingerprint[:12]} ({self.size})"


class Comparison(models.Model):
    """One comparison made: who, when, for which cluster, with which filters, and its outcome.
    Read by the secretariat (the admin); written only by services.comparison_make."""

    class Outcome(models.TextChoices):
        SHOWN = "shown", _("Shown")
        REFUSED = "refused", _("Refused")

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF"
        API = "api", "API"

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="comparisons")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    catalogue = models.ForeignKey("benchmarking.Catalogue", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    filters = models.JSONField(default=dict)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.PAGE)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    group_size = models.PositiveIntegerField(default=0)
    withheld = models.PositiveIntegerField(default=0, help_text="Figures withheld by the differencing rule.")
    reason = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("comparison made")
        verbose_name_plural = _("comparisons made")

    def __str__(self):
        return f"{self.cluster} · {self.created_at:%Y-%m-%d %H:%M} · {self.outcome}"


class SavedComparison(models.Model):
    """A named group of filters: a manager's own (with its cluster), or a standard group the
    secretariat offers to every cluster (no cluster)."""

    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="saved_comparisons"
    )
    name = models.CharField(_("name"), max_length=120)
    # A standard group's name in other languages, {"de": ..., "es": ...}; a manager's has one name.
    names = models.JSONField(default=dict, blank=True)
    filters = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved comparison")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="one_saved_comparison_name_per_cluster")
        ]

    def __str__(self):
        return self.name

    def title(self, language: str) -> str:
        """The name in `language` (its first two letters), else the name as written."""
        return self.names.get((language or "")[:2]) or self.name

    @property
    def is_standard(self) -> bool:
        return self.cluster_id is None
