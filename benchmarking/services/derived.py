"""The data derived from interviews and labels, refreshed in one call: each cluster's label
facts (services/label_facts.py) and the peer values with their stored groups
(services/peer_values.py). The bulk writes (services/bulk.py) call it once, at the end."""

from collections.abc import Iterable

from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.peer_values import BATCH as PEER_BATCH
from benchmarking.services.peer_values import peer_values_refresh


def derived_data_refresh(cluster_ids: Iterable[int] | None = None) -> None:
    """Bring the label facts and peer values of these clusters (all clusters when None) up to date.

    For more clusters than one batch of the peer values' refresh, every cluster's peer values
    and every stored group are written anew (the path seed_demo's thousands of clusters were
    measured on); for fewer, the groups are changed in place, as a single approval does.
    """
    ids = None if cluster_ids is None else sorted(set(cluster_ids))
    label_facts_refresh(ids)
    peer_values_refresh(None if ids is None or len(ids) > PEER_BATCH else ids)
