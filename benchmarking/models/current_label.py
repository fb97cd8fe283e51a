"""A cluster's current label: the one rule (current_label) and its timeline kept for SQL (CurrentLabelPeriod)."""

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from benchmarking.models.labels import Label, label_validity, satisfies
from clusters.models import Cluster

# Higher is better: a cluster's current label is its highest level valid today.
LEVEL_RANK = {Label.Level.BRONZE: 1, Label.Level.SILVER: 2, Label.Level.GOLD: 3}


def most_recent(labels: Iterable) -> object | None:
    """The most recent of `labels`: the latest end of validity, then the latest recorded."""
    return max(labels, key=lambda label: (label.valid_until, label.pk), default=None)


def current_label(labels: Iterable, day: datetime.date):
    """The one rule for a cluster's current label on `day` (domain.md, "A cluster's current label").

    The highest level valid on `day` (between two of one level, the most recent); when none
    is valid, the most recent label, with that label's own status (suspended, withdrawn,
    expired, or upcoming). None for a cluster without labels. Every public surface shows this
    label: the list, its filters and counts read it from CurrentLabelPeriod (current_label_on,
    the same rule kept as SQL-readable facts by services/label_facts.py), the cluster page,
    the verification page and the certificate compute it here.
    """
    labels = list(labels)
    valid = [label for label in labels if satisfies(label, label_validity(day))]
    if valid:
        top = max(LEVEL_RANK[label.level] for label in valid)
        return most_recent(label for label in valid if LEVEL_RANK[label.level] == top)
    return most_recent(labels)


def current_label_on(day: datetime.date, prefix: str = "") -> dict:
    """The period of CurrentLabelPeriod that holds on `day`: current_label in SQL, as lookups.

    A cluster with labels has exactly one such period on every day. `prefix` reaches the
    periods from elsewhere (the public list: "current_label_periods__").
    """
    return {f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day}


class CurrentLabelPeriod(models.Model):
    """A run of days over which a cluster's current label (and its public status) stays the same.

    current_label depends on the day: a label starts, ends, a higher one becomes valid. So the
    public list cannot keep "the current label" in a column; it keeps the cluster's timeline
    instead, computed from its labels by the one rule (services/label_facts.py, refreshed in the
    same transaction as every label change): consecutive periods from date.min to date.max,
    so that on any day one indexed join gives the current label, its status and its end.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="current_label_periods")
    starts_on = models.DateField()
    ends_on = models.DateField()
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    # The label's public status over the period (benchmarking.selectors.public_status.PublicStatus), its end
    # of validity and its level, copied here so that the list filters and sorts, and the open data's
    # statistics count by level, without reading the label (a join of every period with its label
    # was most of the statistics' time at 100,000 clusters).
    status = models.CharField(max_length=10)
    valid_until = models.DateField()
    level = models.CharField(max_length=6, choices=Label.Level.choices)

    class Meta:
        # Periods ending on or after today are few (the current one and those ahead): the selective side.
        indexes = [models.Index(fields=["ends_on", "starts_on"], name="current_label_period_days")]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "starts_on"], name="one_current_label_period_per_start"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.cluster_id}: {self.label_id} {self.status} {self.starts_on}..{self.ends_on}"
