"""Writes of a cluster's own record (the admin's form and its spreadsheet import).

The cluster is the public database's record, but its portfolio and country decide the peer
groups its report values count in: a change of either moves its peer values in the same
transaction. Every door that creates, changes or deletes a cluster comes here.
"""

from django.db import transaction

from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import Cluster

# The fields a report's comparison groups are keyed by (services.peer_values).
GROUP_FIELDS = ("portfolio_id", "country")


def _moves_groups(cluster: Cluster) -> bool:
    """Whether saving `cluster` changes a field its peer groups are keyed by."""
    if cluster.pk is None:
        return False  # a new cluster has no approved interview yet: no peer value to move
    stored = Cluster.objects.filter(pk=cluster.pk).values(*GROUP_FIELDS).first()
    if stored is None:
        return False
    return any(stored[field] != getattr(cluster, field) for field in GROUP_FIELDS)


def cluster_save(*, cluster: Cluster, user, reason: str = "") -> Cluster:
    """Create or change a cluster, validated, with its history; its peer values follow a move."""
    cluster.full_clean()
    moved = _moves_groups(cluster)
    cluster._history_user = user
    if reason:
        cluster._change_reason = reason[:100]
    with transaction.atomic():
        cluster.save()
        if moved:
            peer_values_refresh([cluster.pk])
    return cluster


def cluster_delete(*, cluster: Cluster, user) -> None:
    """Delete a cluster that nothing rests on (its interviews, labels and audits protect it)."""
    cluster._history_user = user
    with transaction.atomic():
        cluster.delete()
