"""The peer values a report compares with, kept instead of recomputed at each issue.

Each cluster counts once per catalogue version, with its latest approved interview on that
version (selectors.reports.peers.latest_approved_interviews, the one rule). Its comparable
values are stored as PeerValue rows with the keys of the report's groups, so that a report
reads only the groups it shows, sorted by the database.

Every change that moves a cluster's latest approved interview, or its portfolio or
country, calls `peer_values_refresh(cluster_ids)` in the same transaction: approval and
reopening (services.review), the legacy import, seed_demo, the cluster admin and its
import. Label changes need nothing: the excellence group (a valid Gold label) depends on
the day, so it is read from the labels when a report is issued.
"""

from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import F

from benchmarking.models import Answer, Indicator, PeerValue
from benchmarking.selectors.reports.peers import (
    ANSWER_FIELDS,
    MISSING,
    comparable_value,
    is_option_indicator,
    latest_approved_interviews,
    series_values,
)
from clusters.models import Cluster

BATCH = 500  # clusters per round: memory stays flat for a backfill of 100,000 clusters


def peer_value_rows(member: dict, indicators: Iterable[Indicator], answers: dict[int, dict]) -> Iterator[PeerValue]:
    """The rows of one member (its keys: catalogue_id, cluster_id, interview_id, portfolio_id,
    country) from its answer rows by indicator id: what the report's statistics count."""
    yield PeerValue(role=PeerValue.Role.MEMBER, **member)
    for indicator in indicators:
        value = comparable_value(indicator, answers.get(indicator.pk))
        if value is MISSING:
            continue
        if is_option_indicator(indicator):
            yield PeerValue(role=PeerValue.Role.ANSWERED, indicator_id=indicator.pk, **member)
            chosen = set(value) if isinstance(value, list) else [value]
            for option in chosen:
                yield PeerValue(role=PeerValue.Role.OPTION, indicator_id=indicator.pk, series=option, **member)
            continue
        for name, number in series_values(indicator, value).items():
            yield PeerValue(role=PeerValue.Role.NUMBER, indicator_id=indicator.pk, series=name, number=number, **member)


def _batches(cluster_ids: Iterable[int] | None) -> Iterator[list[int]]:
    if cluster_ids is None:
        ids = Cluster.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    else:
        ids = iter(sorted(set(cluster_ids)))
    while batch := [pk for _, pk in zip(range(BATCH), ids, strict=False)]:
        yield batch


def _write(batch: list[int], indicators: dict[int, list[Indicator]]) -> None:
    PeerValue.objects.filter(cluster_id__in=batch).delete()
    members = {
        row.pop("pk"): row
        for row in latest_approved_interviews()
        .filter(cluster_id__in=batch)
        .values(
            "pk", "cluster_id", "catalogue_id", portfolio_id=F("cluster__portfolio_id"), country=F("cluster__country")
        )
    }
    answers: dict[int, dict[int, dict]] = {pk: {} for pk in members}
    for row in Answer.objects.filter(interview_id__in=list(members)).values(
        "interview_id", "indicator_id", *ANSWER_FIELDS
    ):
        answers[row["interview_id"]][row["indicator_id"]] = row
    rows = []
    for interview_id, keys in members.items():
        catalogue_id = keys["catalogue_id"]
        if catalogue_id not in indicators:
            indicators[catalogue_id] = list(Indicator.objects.filter(catalogue_id=catalogue_id))
        rows.extend(
            peer_value_rows(keys | {"interview_id": interview_id}, indicators[catalogue_id], answers[interview_id])
        )
    PeerValue.objects.bulk_create(rows, batch_size=2000)


def peer_values_refresh(cluster_ids: Iterable[int] | None = None) -> None:
    """Rewrite the stored peer values of these clusters (all clusters when None), in batches."""
    indicators: dict[int, list[Indicator]] = {}
    with transaction.atomic():
        for batch in _batches(cluster_ids):
            _write(batch, indicators)
