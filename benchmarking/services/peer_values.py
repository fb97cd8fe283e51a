"""The peer values a report compares with, kept instead of recomputed at each issue.

Each cluster counts once per catalogue version, with its latest approved interview on that
version (selectors.reports.peers.latest_approved_interviews, the one rule). Its comparable
values are stored as PeerValue rows with the keys of the report's groups, so that a report
reads only the groups it shows, sorted by the database.

Every change that moves a cluster's latest approved interview, or its portfolio or
country, has it refreshed: the legacy import and services/bulk (seed_demo), off the request
already, call `peer_values_refresh(cluster_ids)` in their transaction; approval, reopening
(services.review) and the cluster admin and its import ask in theirs for the worker's
`peer_values_update` (benchmarking/tasks.py), which refreshes the clusters found stale
(`peer_values_refresh_stale`), and the report an approval asks for does so before it is issued.
A refresh of one cluster at 10,000 clusters costs most of an approval's time budget (issue 26).

The same call keeps each comparison group's values summed up as sorted arrays
(PeerGroupValues), changed in place: the clusters' former values are taken out of the
groups they counted in, their new values put in. Label changes need nothing: the
excellence group (a valid Gold label) depends on the day, so each refresh brings it to
today's Gold holders, and a report issued later applies the difference for its own day.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from benchmarking.models import Answer, Catalogue, Indicator, PeerGroupValues, PeerValue
from benchmarking.selectors.reports.peers import (
    ANSWER_FIELDS,
    GROUPS,
    MISSING,
    comparable_value,
    gold_clusters,
    is_option_indicator,
    latest_approved_interviews,
    series_values,
)
from benchmarking.selectors.reports.stored_groups import (
    MEMBER_FIELDS,
    GroupBuilder,
    MemberValues,
    StoredGroup,
    StoreMismatch,
    decoded_groups,
    excellence_apply,
    excellence_changes,
    member_values,
    member_values_of,
    members_from_rows,
    members_in_order,
    read_stored_groups,
)
from clusters.models import Cluster
from ecei_site.bulk import insert_rows

logger = logging.getLogger(__name__)
ROLE = PeerValue.Role
BATCH = 500  # clusters per round: memory stays flat for a backfill of 100,000 clusters


def peer_value_rows(member: dict, indicators: Iterable[Indicator], answers: dict[int, dict]) -> Iterator[dict]:
    """The PeerValue rows of one member (its keys: catalogue_id, cluster_id, interview_id,
    portfolio_id, country) from its answer rows by indicator id: what the report's statistics
    count. Each row a dict of the fields it sets (ecei_site.bulk.insert_rows), the others empty."""
    yield {"role": ROLE.MEMBER, **member}
    for indicator in indicators:
        value = comparable_value(indicator, answers.get(indicator.pk))
        if value is MISSING:
            continue
        if is_option_indicator(indicator):
            yield {"role": ROLE.ANSWERED, "indicator_id": indicator.pk, **member}
            chosen = sorted(set(value)) if isinstance(value, list) else [value]  # rows in one order every run
            for option in chosen:
                yield {"role": ROLE.OPTION, "indicator_id": indicator.pk, "series": option, **member}
            continue
        for name, number in series_values(indicator, value).items():
            yield {"role": ROLE.NUMBER, "indicator_id": indicator.pk, "series": name, "number": number, **member}


def _batches(cluster_ids: Iterable[int] | None) -> Iterator[list[int]]:
    if cluster_ids is None:
        ids = Cluster.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    else:
        ids = iter(sorted(set(cluster_ids)))
    while batch := [pk for _, pk in zip(range(BATCH), ids, strict=False)]:
        yield batch


def _write(batch: list[int], indicators: dict[int, list[Indicator]]) -> list[dict]:
    """Rewrite the PeerValue rows of the clusters of `batch`; the rows written."""
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
    insert_rows(PeerValue, rows)
    return rows


def _members(rows: list[dict]) -> dict[int, dict[int, MemberValues]]:
    """The values of peer_value_rows, by catalogue and cluster."""
    return members_from_rows(
        (r["catalogue_id"], r["cluster_id"], r["portfolio_id"], str(r["country"]), r["role"],
         r.get("indicator_id"), r.get("series", ""), r.get("number"))
        for r in rows
    )  # fmt: skip


def peer_values_refresh(cluster_ids: Iterable[int] | None = None) -> None:
    """Rewrite the stored peer values of these clusters (all clusters when None), in batches, and
    the stored groups they count in: in place for the clusters given, rebuilt for all."""
    indicators: dict[int, list[Indicator]] = {}
    with transaction.atomic():
        _lock_stored_groups()
        if cluster_ids is None:
            peer_values_rewrite()
            peer_groups_rebuild()
            return
        before: dict[int, dict[int, MemberValues]] = {}
        after: dict[int, dict[int, MemberValues]] = {}
        for batch in _batches(cluster_ids):
            _merge(before, member_values(PeerValue.objects.filter(cluster_id__in=batch)))
            _merge(after, _members(_write(batch, indicators)))
        gold = set(gold_clusters(timezone.localdate()))
        # Every catalogue's excellence group is brought to today's Gold holders, touched or not.
        stored = PeerGroupValues.objects.filter(kind=GROUPS.EXCELLENCE).values_list("catalogue_id", flat=True)
        for catalogue_id in sorted(before.keys() | after.keys() | set(stored)):
            try:
                _update_groups(catalogue_id, before.get(catalogue_id, {}), after.get(catalogue_id, {}), gold)
            except StoreMismatch as mismatch:  # found before anything is written: nothing half-done
                logger.warning("Stored peer groups of catalogue %s rebuilt: %s", catalogue_id, mismatch)
                _rebuild_catalogue(catalogue_id, gold)


def peer_values_stale(cluster_ids: Iterable[int]) -> list[int]:
    """Of these clusters, those whose stored peer values are not those of their latest approved
    interviews under their portfolio and country as they now stand: an approval, a reopening
    or a move since the last refresh (compared on the member rows: 2 queries a batch)."""
    stale: set[int] = set()
    for batch in _batches(cluster_ids):
        wanted = latest_approved_interviews().filter(cluster_id__in=batch)
        wanted = wanted.values_list("cluster_id", "catalogue_id", "pk", "cluster__portfolio_id", "cluster__country")
        stored = PeerValue.objects.filter(cluster_id__in=batch, role=ROLE.MEMBER)
        stored = stored.values_list("cluster_id", "catalogue_id", "interview_id", "portfolio_id", "country")
        stale |= {row[0] for row in set(wanted) ^ set(stored)}
    return sorted(stale)


def peer_values_refresh_stale(cluster_ids: Iterable[int]) -> list[int]:
    """Refresh those of these clusters whose peer values are stale (peer_values_stale); the ids
    refreshed. The worker's door (benchmarking/tasks.py): a second run, a retry or another
    worker finds them current and writes nothing. The stored groups are locked before the check,
    so two workers never both find a cluster stale."""
    with transaction.atomic():
        _lock_stored_groups()
        stale = peer_values_stale(cluster_ids)
        if stale:
            peer_values_refresh(stale)
        return stale


def peer_values_rewrite() -> None:
    """Rewrite every cluster's PeerValue rows, 500 clusters at a time, and nothing else (migration
    0013 backfills them so, before the stored groups exist; 0014 then builds the groups)."""
    indicators: dict[int, list[Indicator]] = {}
    for batch in _batches(None):
        _write(batch, indicators)


def _lock_stored_groups() -> None:
    """Two refreshes never change the stored groups at once (one would lose the other's values):
    on PostgreSQL the catalogue rows are locked, in a fixed order, until the end of the
    transaction (FOR NO KEY UPDATE: new interviews and answers on the catalogue are not held
    up); SQLite's IMMEDIATE transactions already let one writer in at a time."""
    list(Catalogue.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))


def _merge(into: dict, found: dict) -> None:
    for catalogue_id, members in found.items():
        into.setdefault(catalogue_id, {}).update(members)


def _keys(member: MemberValues) -> list[tuple[str, str]]:
    """The stored groups a member counts in, apart from the excellence group."""
    return [(GROUPS.ALL, ""), (GROUPS.PORTFOLIO, str(member.portfolio_id)), (GROUPS.COUNTRY, member.country)]


def _update_groups(catalogue_id: int, before: dict, after: dict, gold: set[int]) -> None:
    """Take the clusters' former values out of the groups they counted in, put their new ones
    in the groups of their new keys, and bring the excellence group to today's Gold holders."""
    excellence_key = (GROUPS.EXCELLENCE, "")
    keys = {excellence_key} | {key for member in [*before.values(), *after.values()] for key in _keys(member)}
    wanted = Q()
    for kind, key in keys:
        wanted |= Q(kind=kind, key=key)
    stored = PeerGroupValues.objects.filter(wanted, catalogue_id=catalogue_id)
    # Through the groups this process keeps decoded (the worker refreshes before each report it
    # issues): copies, since they are changed here.
    groups = {key: StoredGroup() for key in keys} | {key: g.copy() for key, g in read_stored_groups(stored).items()}
    excellence = groups[excellence_key]
    for member in before.values():
        for key in _keys(member):
            groups[key].remove(member)
        if member.cluster_id in excellence:
            excellence.remove(member)
    for member in after.values():
        for key in _keys(member):
            groups[key].add(member)
    outside = set(excellence.outside)
    excellence.outside -= before.keys() | after.keys()  # they may have values now: looked at again
    leaving, entering = excellence_changes(excellence, gold)
    values = dict(after)
    reread = [pk for pk in [*leaving, *entering] if pk not in values]
    if reread:
        values |= member_values_of(catalogue_id, reread)
    excellence.outside &= gold  # kept for the Gold holders only
    excellence_apply(excellence, leaving, entering, values)
    if before or after or leaving or entering or excellence.outside != outside:
        _save_groups(catalogue_id, groups)


def _save_groups(catalogue_id: int, groups: dict[tuple[str, str], StoredGroup]) -> None:
    """Replace the stored rows of these groups (1 DELETE, 1 INSERT however many); an empty group is not kept."""
    wanted = Q()
    for kind, key in groups:
        wanted |= Q(kind=kind, key=key)
    PeerGroupValues.objects.filter(wanted, catalogue_id=catalogue_id).delete()
    saved = PeerGroupValues.objects.bulk_create(
        PeerGroupValues(catalogue_id=catalogue_id, kind=kind, key=key, **group.encode())
        for (kind, key), group in sorted(groups.items())
        if group.size or group.outside
    )
    # Kept decoded under their new versions: the report the worker issues next in this process
    # reads them from here, not 20 MB of compressed arrays at 100,000 clusters. (A version whose
    # transaction rolls back is never read: no row has it.)
    for row in saved:
        decoded_groups.put((catalogue_id, row.kind, row.key), row.version, groups[(row.kind, row.key)].as_decoded())


# --- Rebuilt from the PeerValue rows: the backfill, and the reference the tests compare with ---


def peer_groups_rebuild() -> None:
    """Rebuild every stored group from the PeerValue rows, a catalogue at a time: memory holds
    one catalogue's groups (each value in its three or four groups), whatever the number of clusters."""
    PeerGroupValues.objects.all().delete()
    gold = set(gold_clusters(timezone.localdate()))
    catalogue_ids = PeerValue.objects.filter(role=ROLE.MEMBER).values_list("catalogue_id", flat=True).distinct()
    for catalogue_id in sorted(set(catalogue_ids)):
        _rebuild_catalogue(catalogue_id, gold)


def _rebuild_catalogue(catalogue_id: int, gold: set[int]) -> None:
    """Every group of the catalogue from one read of its PeerValue rows, stored in a fixed order:
    all clusters, each portfolio, each country, the excellence group."""
    PeerGroupValues.objects.filter(catalogue_id=catalogue_id).delete()
    # The excellence group is there even without members: it notes the Gold holders outside it.
    excellence = (GROUPS.EXCELLENCE, "")
    groups: dict[tuple[str, str], GroupBuilder] = defaultdict(GroupBuilder, {excellence: GroupBuilder()})
    rows = PeerValue.objects.filter(catalogue_id=catalogue_id).order_by("cluster_id").values_list(*MEMBER_FIELDS)
    for member in members_in_order(rows.iterator(chunk_size=20000)):
        for key in _keys(member) + ([excellence] if member.cluster_id in gold else []):
            groups[key].add(member)
    order = {GROUPS.ALL: 0, GROUPS.PORTFOLIO: 1, GROUPS.COUNTRY: 2, GROUPS.EXCELLENCE: 3}
    stored = []
    for kind, key in sorted(groups, key=lambda k: (order[k[0]], int(k[1]) if k[0] == GROUPS.PORTFOLIO else k[1])):
        group = groups[(kind, key)].stored_group()
        if kind == GROUPS.EXCELLENCE:
            group.outside = gold - set(group.members)
        if group.size or group.outside:
            stored.append(PeerGroupValues(catalogue_id=catalogue_id, kind=kind, key=key, **group.encode()))
    PeerGroupValues.objects.bulk_create(stored)


def excellence_outside_fill() -> None:
    """Note in each stored excellence group the Gold holders without values on its catalogue
    (migration 0015; later each refresh keeps them): the groups stored before it had none."""
    gold = set(gold_clusters(timezone.localdate()))
    # Not the version: migration 0015 runs this before the column exists (0023).
    for row in PeerGroupValues.objects.filter(kind=GROUPS.EXCELLENCE).defer("version"):
        group = StoredGroup.decode(row)
        group.outside = set(gold) - set(group.members)
        row.outside = group.encode()["outside"]
        row.save(update_fields=["outside"])
