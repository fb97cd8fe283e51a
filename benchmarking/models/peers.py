"""Peer values: each cluster's comparable values, and each comparison group's values summed up."""

import uuid

from django.db import models

from benchmarking.models.catalogue import Catalogue, Indicator
from benchmarking.models.interviews import Interview
from benchmarking.models.reports import RecommendationRule
from clusters.models import Cluster, ComparativePortfolio


class PeerValue(models.Model):
    """A comparable value of a cluster's latest approved interview on a catalogue version, stored
    with the keys of the report's comparison groups (catalogue, indicator, portfolio, country).

    Kept by benchmarking.services.peer_values.peer_values_refresh in the same transaction as
    every change that moves a cluster's latest approved interview (approval, reopening, the
    legacy import, seed_demo) or its portfolio or country (the cluster admin and its import).
    A report reads the groups summed up (PeerGroupValues) and here only a few clusters' rows. The
    excellence group is not a column: holding a valid Gold label changes with the day, so it
    is read from the labels by the one validity rule when a report is issued.
    """

    class Role(models.TextChoices):
        MEMBER = "member", "member of the groups (one row per cluster and catalogue)"
        NUMBER = "number", "a number series: the answer, a part, or a part's share"
        OPTION = "option", "an option chosen (yes/no, one or several of a list)"
        ANSWERED = "answered", "an option indicator answered (several of a list may choose none)"

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+", db_index=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(ComparativePortfolio, on_delete=models.CASCADE, related_name="+", db_index=False)
    country = models.CharField(max_length=2)
    role = models.CharField(max_length=8, choices=Role.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, related_name="+")
    series = models.CharField(max_length=210, blank=True, help_text="The number series or the option.")
    number = models.FloatField(null=True)

    class Meta:
        indexes = [
            # A cluster's own rows; the excellence group's rows (a few hundred clusters) by cluster.
            # No index by group: reports read the groups summed up (PeerGroupValues), and their
            # rebuild reads a catalogue's rows in one pass; each index slows every row's insert.
            models.Index(fields=["cluster", "catalogue", "role", "indicator", "series", "number"], name="peer_cluster"),
            # A catalogue's members, one row per cluster: a comparison's columns are brought up
            # to date from them (comparisons.selectors.matrix), 60,000 of 6 million rows at 100k.
            # Covering (PostgreSQL): each member's row sits in a heap page of its own, and 60,000
            # page reads took a second.
            models.Index(
                fields=["catalogue", "cluster"],
                include=["id", "portfolio", "country", "interview"],
                condition=models.Q(role="member"),
                name="peer_catalogue_members",
            ),
        ]

    def __str__(self):
        return f"{self.cluster_id} {self.indicator_id} {self.series} {self.number}"


def new_group_version() -> str:
    return uuid.uuid4().hex


class PeerGroupValues(models.Model):
    """One comparison group's values on a catalogue version, summed up from its members'
    PeerValue rows and kept between reports: every number series sorted (float64), the options
    counted, and the member clusters. A report reads its four groups in one query instead of
    some 460,000 rows at 10,000 clusters.

    Kept in place by benchmarking.services.peer_values.peer_values_refresh, in the same
    transaction as the PeerValue rows it sums up. The excellence group (a valid Gold label)
    changes with the day: the refresh reconciles it with today's Gold holders, and a report
    issued later applies the difference for its own day without writing.
    """

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RecommendationRule.Group.choices)
    key = models.CharField(max_length=20, blank=True, help_text="The portfolio's id or the country; empty for all.")
    size = models.PositiveIntegerField(default=0)
    members = models.BinaryField(default=bytes, help_text="The member clusters' ids, sorted (int64).")
    series = models.JSONField(default=list, help_text="[indicator id, series, how many] of each run in numbers.")
    numbers = models.BinaryField(
        default=bytes, help_text="Each series' numbers sorted (float64), one after another, zlib-compressed."
    )
    options = models.JSONField(default=dict, help_text="indicator id -> [clusters answering, {option: count}].")
    outside = models.BinaryField(
        default=bytes,
        help_text="Excellence group: the Gold holders without values on this catalogue when it was last "
        "brought to the day's Gold holders (int64), which a report need not look for again.",
    )
    # Issue 30: new at every write (a row is replaced, never changed in place), so a process keeps
    # the groups it decoded under it (selectors.reports.stored_groups.read_stored_groups) and reads
    # the arrays again only when a refresh has written new ones. Random, not a counter: a write
    # rolled back never hands its number to different values.
    version = models.CharField(max_length=32, default=new_group_version, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["catalogue", "kind", "key"], name="peer_group_unique")]

    def __str__(self):
        return f"{self.catalogue_id} {self.kind} {self.key} ({self.size})"
