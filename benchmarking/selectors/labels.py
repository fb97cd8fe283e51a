"""Reads for labels: public verification, the secretariat's label lists and a cluster's label history."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from benchmarking.models import Label
from benchmarking.rules.label_periods import RENEWABLE_LEVELS, renewal_deadline
from clusters.models import Cluster

# The words and symbols the public sees; colour only repeats them.
STATUS_WORDS = {
    "active": (_("Active"), "✓", _("This label is valid.")),
    "upcoming": (
        _("Not yet valid"),
        "→",
        _("This label is a renewal whose validity period has not started yet."),
    ),
    "expired": (_("Expired"), "⌛", _("This label is no longer valid: its validity period has ended.")),
    "suspended": (
        _("Suspended"),
        "⏸",
        _("This label is suspended by the ECEI secretariat and is not valid at present."),
    ),
    "withdrawn": (_("Withdrawn"), "✗", _("This label was withdrawn by the ECEI secretariat and is not valid.")),
}


def normalise_code(text: str) -> str:
    """What people type or paste: any case, spaces or dashes inside ("mex 001-2016 05b")."""
    return re.sub(r"[\s\-]+", "", text or "").upper()


@dataclass(frozen=True)
class LabelStatus:
    key: str
    word: str
    symbol: str
    sentence: str


def label_status(label: Label) -> LabelStatus:
    key = label.live_status()
    return LabelStatus(key, *STATUS_WORDS[key])


def public_label(code: str) -> Label | None:
    """The label with this code and the evidence shown publicly (one query), or None."""
    return (
        Label.objects.select_related("cluster__portfolio", "interview", "silver_audit", "gold_assessment", "renews")
        .filter(code=normalise_code(code))
        .first()
    )


def staff_labels(search: str = "") -> QuerySet[Label]:
    """Every label, latest first, for the secretariat; one query per page whatever the rows."""
    labels = Label.objects.select_related("cluster", "renews").order_by("-awarded_on", "-pk")
    if search:
        code = normalise_code(search)
        labels = labels.filter(code__startswith=code) | labels.filter(cluster__name__icontains=search.strip())
    return labels


@dataclass(frozen=True)
class LabelRecord:
    label: Label
    status: LabelStatus
    history: list  # historical records, newest first
    actions: frozenset = frozenset()  # what the secretariat may do now: "suspend", "undo", ... (set by the view)

    @property
    def renewal_deadline(self):
        """The last day a benchmarking (Silver: an audit) renews the label; None for Gold and for a
        withdrawn label (never renewed)."""
        renewable = self.label.level in RENEWABLE_LEVELS and self.label.status != Label.Status.WITHDRAWN
        return renewal_deadline(self.label) if renewable else None


def cluster_label_history(cluster: Cluster) -> list[LabelRecord]:
    """All labels of the cluster, latest first, each with its complete change history (2 queries)."""
    labels = list(
        cluster.labels.select_related("renews", "interview", "recommendation").order_by("-valid_until", "-pk")
    )
    records = defaultdict(list)
    changes = Label.history.filter(id__in=[label.pk for label in labels]).select_related("history_user")
    for record in changes.order_by("-history_date", "-history_id"):
        records[record.id].append(record)
    return [LabelRecord(label, label_status(label), records[label.pk]) for label in labels]
