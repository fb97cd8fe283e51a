"""The comparison groups as one reported cluster sees them (PeerGroup: the pool's group without
the cluster's own values), their titles, and the statistics a report shows of each: the
numbers' quartiles and rank, the options' distribution. The pool they come from is peers.py.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from benchmarking.kinds import kind_of
from benchmarking.models import Indicator
from benchmarking.selectors import statistics
from benchmarking.selectors.reports.peers import GROUPS, GroupData, OwnValues, PeerPool, SortedWithout, without_one
from benchmarking.selectors.reports.texts import IndicatorText
from clusters.models import Cluster


@dataclass
class PeerGroup:
    """A comparison group seen from one cluster: the group's data minus that cluster's own values.

    Its title is in the language active when it is read.
    """

    key: str
    cluster: Cluster
    data: GroupData
    excluded: OwnValues  # the cluster's own values if it is a member, else empty
    size: int
    # settings.ECEI_REPORT_MIN_GROUP_SIZE, read once: a report asks it hundreds of times, and
    # each read of a setting goes through LazySettings.
    minimum: int = field(default_factory=lambda: settings.ECEI_REPORT_MIN_GROUP_SIZE)

    @property
    def title(self) -> str:
        return group_title(self.key, self.cluster)

    @property
    def is_shown(self) -> bool:
        return self.size >= self.minimum

    def numbers(self, indicator: Indicator, series: str) -> Sequence[float]:
        ordered = self.data.numbers.get((indicator.code, series), [])
        return without_one(ordered, self.excluded.numbers.get((indicator.code, series)))

    def option_counts(self, indicator: Indicator) -> tuple[Counter, int]:
        """The group's counted answers to an option indicator, and how many answered, without the cluster."""
        counts, answering = self.data.options.get(indicator.code, (Counter(), 0))
        own = self.excluded.options.get(indicator.code)
        if own is None:
            return counts, answering
        counts = counts.copy()
        counts.subtract(own)
        return counts, answering - 1


def group_title(key: str, cluster: Cluster) -> str:
    """A group's title in the active language."""
    if key == GROUPS.PORTFOLIO:
        return _("Same comparative portfolio: %(portfolio)s") % {"portfolio": cluster.portfolio.name}
    if key == GROUPS.COUNTRY:
        return _("Same country: %(country)s") % {"country": cluster.country.name}
    if key == GROUPS.ALL:
        return _("All benchmarked clusters")
    return _("Excellence group: clusters holding a valid Gold label")


def peer_groups(pool: PeerPool, cluster: Cluster) -> list[PeerGroup]:
    """The four comparison groups of domain.md, in the report's order."""
    keys = [
        (GROUPS.PORTFOLIO, cluster.portfolio_id),
        (GROUPS.COUNTRY, str(cluster.country)),
        (GROUPS.ALL, None),
        (GROUPS.EXCELLENCE, None),
    ]
    own = pool.read(keys, cluster.pk)
    groups = []
    for key in keys:
        data = pool.group(key)
        is_member = pool.is_member(key, own, cluster)
        excluded = own if is_member else OwnValues()
        groups.append(PeerGroup(str(key[0]), cluster, data, excluded, data.size - is_member))
    return groups


def number_stats(group: PeerGroup, indicator: Indicator, series: str, own: float | None) -> dict | None:
    """n, quartiles and rank, or None when fewer peers answered than the minimum group size."""
    values = group.numbers(indicator, series)
    if len(values) < group.minimum:
        return None
    rank = values.percentile_rank(own) if isinstance(values, SortedWithout) and own is not None else None
    quartiles = group.data.quartiles((indicator.code, series), values)
    return statistics.number_summary(values, own, missing=group.size - len(values), rank=rank, quartiles=quartiles)


def option_stats(group: PeerGroup, indicator: IndicatorText, counted: dict | None | bool = False) -> dict | None:
    """The distribution of an option indicator in the language of `indicator` (the active one),
    kept in the group's data: the counts once for all the clusters that leave out the same
    answer (or none), the labels once per language. `counted`: option_counted(group, indicator)
    when the caller has it already (a report's other languages)."""
    if counted is False:
        counted = option_counted(group, indicator)
    if counted is None:
        return None
    left_out = _left_out(group, indicator)
    shared = _is_shared(left_out)
    kept = group.data.kept
    memo = ("options", indicator.code, group.size, group.minimum, left_out, indicator.language)
    if memo in kept:
        return kept[memo]
    rows = [row | {"label": option_text(indicator, row["option"])} for row in counted["rows"]]
    labelled = counted | {"rows": rows}
    if shared:
        kept[memo] = labelled
    return labelled


def option_counted(group: PeerGroup, indicator: Indicator) -> dict | None:
    """The counts of an option indicator in `group` without the cluster's own answer, in no
    language: the same for every language of a report."""
    left_out = _left_out(group, indicator)
    shared = _is_shared(left_out)
    counted_memo = ("options", indicator.code, group.size, group.minimum, left_out)
    kept = group.data.kept
    if shared and counted_memo in kept:
        return kept[counted_memo]
    counted = _option_counts(group, indicator)
    if shared:
        kept[counted_memo] = counted
    return counted


def _left_out(group: PeerGroup, indicator: Indicator) -> tuple | None:
    """The cluster's own answer, if a member, as a key."""
    left_out = group.excluded.options.get(indicator.code)
    return None if left_out is None else tuple(sorted(left_out))


def _is_shared(left_out: tuple | None) -> bool:
    # Kept only when many clusters share it: no answer or one option left out. Several options
    # chosen from a list are a combination nearly each cluster has alone; keeping those grew a
    # bulk issue's workers by some 300 MB at 100,000 clusters for next to no reuse.
    return left_out is None or len(left_out) <= 1


def _option_counts(group: PeerGroup, indicator: Indicator) -> dict | None:
    counts, answering = group.option_counts(indicator)
    if answering < group.minimum:
        return None
    kind = kind_of(indicator)
    options = kind.report_options(indicator)
    rows = statistics.distribution_from_counts(counts, answering, options, extra=not kind.several)
    return {"n": answering, "missing": group.size - answering, "rows": rows}


def option_text(indicator: Indicator, option: str) -> str:
    """An option as the reader sees it; yes and no of a yes/no indicator in their language."""
    return kind_of(indicator).option_text(indicator, option)
