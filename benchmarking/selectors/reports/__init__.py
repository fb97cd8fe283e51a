"""The individual report, in small modules: who may read it (access), the peers it compares
with (peers) and their groups and statistics (peer_groups), what it is made of apart from its
peers (inputs), the recommendation rules (rules), and the snapshot that the page and the PDF
are drawn from (snapshot). The names other modules use are here."""

from benchmarking.selectors.reports.access import get_report_for_user, managed_clusters, may_read_report
from benchmarking.selectors.reports.inputs import catalogue_indicators
from benchmarking.selectors.reports.peers import (
    GROUPS,
    MISSING,
    comparable_value,
    load_peer_pool,
    series_values,
)
from benchmarking.selectors.reports.snapshot import (
    build_snapshot,
    build_snapshots,
    latest_snapshots,
)

__all__ = [
    "GROUPS",
    "MISSING",
    "build_snapshot",
    "build_snapshots",
    "catalogue_indicators",
    "comparable_value",
    "get_report_for_user",
    "latest_snapshots",
    "load_peer_pool",
    "managed_clusters",
    "may_read_report",
    "series_values",
]
