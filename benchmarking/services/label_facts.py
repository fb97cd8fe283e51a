"""The public facts of a cluster's labels, kept where the public list can read them at once.

The public list sorts and filters thousands of clusters by their current label; reading
each cluster's labels per row does not scale. So every code path that creates or changes
a label (the label services, the bulk history of services/bulk.py, the label import, the fixtures' own columns)
calls `label_facts_refresh` in the same transaction, which keeps two facts per cluster:

- its timeline of current labels (CurrentLabelPeriod): the one rule, models.current_label,
  evaluated on every day at once. The rule depends on the day (a label starts or ends, a
  higher level becomes valid), so the facts are the periods between those days, not one
  answer: the list joins the period that holds today (models.current_label_on);
- its most recent label's status and dates on the cluster's own indexed columns
  (Cluster.label_status / label_valid_from / label_valid_until): a cluster is listed once it
  has a label at all.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from itertools import groupby

from django.utils import timezone

from benchmarking.models import CurrentLabelPeriod, Label, current_label, label_live_status, most_recent
from clusters.models import Cluster
from ecei_site.bulk import insert_rows, update_rows

BATCH = 2000
ONE_DAY = datetime.timedelta(days=1)
# The list's word for a label valid on the day (selectors/public_status.PublicStatus.VALID).
VALID = "valid"


@dataclass(frozen=True)
class LabelFacts:
    status: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class Period:
    """A run of days with one current label: CurrentLabelPeriod's facts."""

    starts_on: datetime.date
    ends_on: datetime.date
    label_id: int
    status: str
    valid_until: datetime.date
    level: str


PERIOD_FIELDS = [field.name for field in fields(Period)]  # CurrentLabelPeriod's, in Period's order

def label_facts(labels: list[Label]) -> LabelFacts:
    """The most recent label's status and dates (models.most_recent); empty without labels."""
    latest = most_recent(labels)
    if latest is None:
        return LabelFacts()
    return LabelFacts(latest.status, latest.valid_from, latest.valid_until)


def public_status_on(label, day: datetime.date) -> str:
    """A label's public status on `day`: its live status, with "valid" for active."""
    status = label_live_status(label, day)
    return VALID if status == Label.Status.ACTIVE else status


def current_label_periods(labels: list[Label]) -> list[Period]:
    """The timeline of models.current_label over every day, from date.min to date.max.

    The answer can change only on the day a label starts or on the day after one ends; between
    two such days it is the answer of the first. Consecutive runs with the same label and
    status are one period.
    """
    if not labels:
        return []
    changes = sorted({label.valid_from for label in labels} | {label.valid_until + ONE_DAY for label in labels})
    starts = [datetime.date.min, *changes]
    periods: list[Period] = []
    for start, next_start in zip(starts, [*changes, None], strict=True):
        label = current_label(labels, start)
        status = public_status_on(label, start)
        end = next_start - ONE_DAY if next_start else datetime.date.max
        if periods and (periods[-1].label_id, periods[-1].status) == (label.pk, status):
            last = periods.pop()
            start = last.starts_on
        periods.append(Period(start, end, label.pk, status, label.valid_until, label.level))
    return periods


def _apply(labels_by_cluster: dict[int, list[Label]]) -> None:
    now = timezone.now()  # updated_at: the overview's cache key follows the clusters' changes
    facts = {pk: label_facts(labels) for pk, labels in labels_by_cluster.items()}
    update_rows(
        Cluster,
        ["label_status", "label_valid_from", "label_valid_until", "updated_at"],
        ((pk, fact.status, fact.valid_from, fact.valid_until, now) for pk, fact in facts.items()),
    )
    CurrentLabelPeriod.objects.filter(cluster_id__in=list(labels_by_cluster)).delete()
    insert_rows(
        CurrentLabelPeriod,
        (
            {"cluster_id": pk, **period.__dict__}
            for pk, labels in labels_by_cluster.items()
            for period in current_label_periods(labels)
        ),
    )


def _labels_of(cluster_ids: list[int]) -> dict[int, list[Label]]:
    labels = (
        Label.objects.filter(cluster_id__in=cluster_ids)
        .only("cluster_id", "level", "status", "valid_from", "valid_until")
        .order_by("cluster_id", "-valid_until", "-pk")
    )
    found = {pk: [] for pk in cluster_ids}
    for cluster_id, rows in groupby(labels, key=lambda label: label.cluster_id):
        found[cluster_id] = list(rows)
    return found


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
        _apply(_labels_of(batch))


def label_facts_stale(cluster_ids: Iterable[int]) -> list[int]:
    """Of these clusters, those whose stored facts or current-label periods differ from what
    their labels say (3 queries a batch of BATCH clusters)."""
    stale = []
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        labels = _labels_of(batch)
        stored = {
            pk: LabelFacts(status, valid_from, valid_until)
            for pk, status, valid_from, valid_until in Cluster.objects.filter(pk__in=batch).values_list(
                "pk", "label_status", "label_valid_from", "label_valid_until"
            )
        }
        periods: dict[int, list[Period]] = {pk: [] for pk in batch}
        rows = CurrentLabelPeriod.objects.filter(cluster_id__in=batch).order_by("cluster_id", "starts_on")
        for row in rows.values_list("cluster_id", *PERIOD_FIELDS):
            periods[row[0]].append(Period(*row[1:]))
        stale.extend(
            pk
            for pk in batch
            if pk in stored  # a cluster deleted meanwhile has nothing to refresh
            and (stored[pk] != label_facts(labels[pk]) or periods[pk] != current_label_periods(labels[pk]))
        )
    return stale


def label_facts_refresh_stale(cluster_ids: Iterable[int]) -> list[int]:
    """Refresh those of these clusters whose facts are stale (label_facts_stale); the ids
    refreshed. The worker's door for many clusters (benchmarking/tasks.label_facts_update): a
    second run, or a retry after a batch was written, finds them current and writes nothing."""
    stale = label_facts_stale(cluster_ids)
    if stale:
        label_facts_refresh(stale)
    return stale


def label_facts_catch_up(
    cluster_ids: Iterable[int] | None = None, *, after: int = 0, limit: int = BATCH
) -> tuple[list[int], list[int], bool]:
    """One batch of a catch-up over these clusters (all when None): the next `limit` of them
    with an id above `after`, those of it found stale refreshed. (The batch, those refreshed,
    whether more follow.) A batch a transaction: the caller goes on from the batch's last id."""
    if cluster_ids is None:
        ids = Cluster.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[: limit + 1]
        batch = list(ids)
    else:
        batch = [pk for pk in sorted(set(cluster_ids)) if pk > after][: limit + 1]
    more = len(batch) > limit
    batch = batch[:limit]
    return batch, label_facts_refresh_stale(batch), more


def label_facts_disagreements() -> list[int]:
    """Clusters whose facts differ from what their labels say (none, if every path refreshes):
    label_facts_stale over every cluster, BATCH at a time."""
    return label_facts_stale(Cluster.objects.order_by("pk").values_list("pk", flat=True))
