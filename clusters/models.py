from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from clusters.text import fold
from clusters.validators import validate_http_url


class ComparativePortfolio(models.Model):
    """A technological area in which clusters are compared (domain.md: editable data)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClusterQuerySet(models.QuerySet):
    def search(self, text: str):
        """Clusters whose name contains `text`, ignoring case and accents."""
        return self.filter(name_folded__contains=fold(text))


class EligibilityWaiver(models.TextChoices):
    """Why the ECCP criteria may be waived (domain.md, "Eligibility in full")."""

    NONE = "", _("No waiver")
    REGIONAL_PROGRAMME = "regional_programme", _("Recognised by a regional cluster programme")
    NATIONAL_PROGRAMME = "national_programme", _("Recognised by a national cluster programme")
    SOCIAL_ECONOMY = "social_economy", _("Social-economy cluster")


class Cluster(models.Model):
    """A cluster, represented by its cluster management organisation."""

    name = models.CharField(max_length=255)
    # Lower-cased, accent-free copy of `name`, kept in step by save(): the search column.
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    slug = models.SlugField(max_length=255, unique=True)
    country = CountryField(db_index=True)
    # The English country name, kept in step by save(): what sorting by country follows.
    country_name = models.CharField(max_length=100, editable=False, db_index=True, default="")
    region = models.CharField("region or city", max_length=120, blank=True)
    website = models.URLField(max_length=300, blank=True, validators=[validate_http_url], db_index=True)
    eccp_profile_url = models.URLField(
        "ECCP profile URL", max_length=300, blank=True, validators=[validate_http_url]
    )
    # The eligibility facts the secretariat records from the review page (services:
    # benchmarking/services/eligibility.py): the ECCP validation, or a waiver with its
    # reason, and the facts no indicator answers. Changes are kept in the cluster's history.
    eccp_validated_on = models.DateField("ECCP validation date", null=True, blank=True)
    eligibility_waiver = models.CharField(
        "eligibility waived because",
        max_length=25,
        choices=EligibilityWaiver.choices,
        blank=True,
        default="",
    )
    eligibility_waiver_note = models.TextField(
        "waiver details", blank=True, help_text="For example the programme that recognises the cluster."
    )
    english_website_checked_on = models.DateField("English website showing activity, checked on", null=True, blank=True)
    public_collaboration = models.TextField(
        "visible collaboration with public bodies",
        blank=True,
        help_text="Where the collaboration can be seen (needed when no public body is a member).",
    )
    portfolio = models.ForeignKey(
        ComparativePortfolio,
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name="comparative portfolio",
    )
    organisation_name = models.CharField(
        "legal name of the cluster management organisation", max_length=255, blank=True
    )
    contact_email = models.EmailField("contact e-mail", blank=True)
    description = models.TextField(blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_clusters",
        help_text="Staff of the cluster management who may read the cluster's reports.",
    )
    # The cluster's most recent label (its status and dates), kept by the label services in
    # the same transaction (benchmarking.services.label_facts). Empty: no label, not listed.
    # Its current label on a day is another fact (benchmarking.models.CurrentLabelPeriod).
    label_status = models.CharField(max_length=10, blank=True, default="", editable=False)
    label_valid_from = models.DateField(null=True, blank=True, editable=False)
    label_valid_until = models.DateField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["name_folded", "updated_at"], m2m_fields=[managers])

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["portfolio", "name"]),
            models.Index(fields=["label_status", "label_valid_until"], name="cluster_label_facts"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.country_name = str(self.country.name or self.country.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clusters:detail", kwargs={"slug": self.slug})
