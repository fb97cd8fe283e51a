"""The public facts of a cluster's labels, kept on the cluster's own indexed columns.

The public list sorts and filters thousands of clusters by their latest label; reading
each cluster's labels per row does not scale. So every code path that creates or changes
a label (the label services, the bulk history of services/bulk.py, the label import, the fixtures' own columns)
calls `label_facts_refresh` in the same transaction, and the list reads
Cluster.label_status / label_valid_from / label_valid_until.

The columns hold dates, never "valid": validity on a day is computed from them by the one
rule, benchmarking.models.label_validity (clusters.selectors.cluster_validity).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone

from benchmarking.models import Label
from clusters.models import Cluster
from ecei_site.bulk import update_rows

BATCH = 2000
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class LabelFacts:
    status: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


def label_facts(labels: list[Label]) -> LabelFacts:
    """The facts of a cluster's labels, given newest first (by valid_until, then pk).

    The latest label's status and end; its start is pushed back over the active labels
    that it continues without a gap (a renewal runs on from the label it renews, a Silver
    label may overlap the Bronze one), so that a cluster is valid on every day of that run.
    """
    if not labels:
        return LabelFacts()
    latest = labels[0]
    start = latest.valid_from
    if latest.status == Label.Status.ACTIVE:
        for label in labels[1:]:
            if label.valid_until < start - ONE_DAY:
                break  # a gap: the labels further back are older still
            if label.status == Label.Status.ACTIVE:
                start = min(start, label.valid_from)
    return LabelFacts(latest.status, start, latest.valid_until)


def _apply(facts_by_cluster: dict[int, LabelFacts]) -> None:
    now = timezone.now()  # updated_at: the overview's cache key follows the clusters' changes
    update_rows(
        Cluster,
        ["label_status", "label_valid_from", "label_valid_until", "updated_at"],
        ((pk, facts.status, facts.valid_from, facts.valid_until, now) for pk, facts in facts_by_cluster.items()),
    )


def label_facts_refresh(cluster_ids: Iterable[int] | None = None) -> None:
    """Recompute the label facts of these clusters (all clusters when None), in batches.

    Constant memory: the labels are read BATCH clusters at a time.
    """
    if cluster_ids is None:
        ids_query = Cluster.objects.order_by("pk").values_list("pk", flat=True)
        ids = ids_query.iterator(chunk_size=BATCH)
    else:
        ids = iter(sorted(set(cluster_ids)))
    while batch := [pk for _, pk in zip(range(BATCH), ids, strict=False)]:
        labels = (
            Label.objects.filter(cluster_id__in=batch)
            .only("cluster_id", "status", "valid_from", "valid_until")
            .order_by("cluster_id", "-valid_until", "-pk")
        )
        facts = {pk: LabelFacts() for pk in batch}
        for cluster_id, rows in groupby(labels, key=lambda label: label.cluster_id):
            facts[cluster_id] = label_facts(list(rows))
        _apply(facts)


def label_facts_disagreements() -> list[int]:
    """Clusters whose columns differ from what their labels say (none, if every path refreshes)."""
    wrong = []
    for cluster in Cluster.objects.order_by("pk").iterator(chunk_size=BATCH):
        labels = list(cluster.labels.order_by("-valid_until", "-pk"))
        facts = label_facts(labels)
        stored = LabelFacts(cluster.label_status, cluster.label_valid_from, cluster.label_valid_until)
        if stored != facts:
            wrong.append(cluster.pk)
    return wrong
