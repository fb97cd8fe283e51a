"""Experts: the accredited ESCA benchmarking experts and their declared conflicts of interest."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from clusters.models import Cluster


class Expert(models.Model):
    """An accredited ESCA benchmarking expert."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert")
    accreditation_number = models.CharField(max_length=30, unique=True)
    accredited_from = models.DateField()
    accredited_until = models.DateField()
    country = CountryField()
    languages = models.CharField(max_length=100, blank=True, help_text="For example: English, Spanish")

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accredited_until__gt=models.F("accredited_from")),
                name="expert_accreditation_ends_after_start",
            )
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def is_accredited_on(self, day: datetime.date) -> bool:
        return self.accredited_from <= day <= self.accredited_until


class ConflictOfInterest(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="conflicts_of_interest")
    reason = models.TextField()
    declared_on = models.DateField(default=datetime.date.today)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "conflicts of interest"
        constraints = [
            models.UniqueConstraint(fields=["expert", "cluster"], name="one_conflict_per_expert_and_cluster")
        ]

    def __str__(self):
        return f"{self.expert} – {self.cluster}"
