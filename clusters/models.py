from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from clusters.text import fold
from clusters.validators import validate_http_url


class ComparativePortfolio(models.Model):
    """A technological area in which clusters are compared (domain.md: editable data)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClusterQuerySet(models.QuerySet):
    def search(self, text: str):
        """Clusters whose name contains `text`, ignoring case and accents."""
        return self.filter(name_folded__contains=fold(text))


class Cluster(models.Model):
    """A cluster, represented by its cluster management organisation."""

    name = models.CharField(max_length=255)
    # Lower-cased, accent-free copy of `name`, kept in step by save(): the search column.
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    slug = models.SlugField(max_length=255, unique=True)
    country = CountryField(db_index=True)
    region = models.CharField("region or city", max_length=120, blank=True)
    website = models.URLField(max_length=300, blank=True, validators=[validate_http_url])
    eccp_profile_url = models.URLField(
        "ECCP profile URL", max_length=300, blank=True, validators=[validate_http_url]
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_folded", "updated_at"], m2m_fields=[managers])

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["portfolio", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clusters:detail", kwargs={"slug": self.slug})
