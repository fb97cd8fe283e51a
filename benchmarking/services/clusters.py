"""Writes of a cluster's own record (the admin's form and its spreadsheet import).

The cluster is the public database's record, but its portfolio and country decide the peer
groups its report values count in: a change of either asks, in the same transaction, for the
worker to move its peer values (benchmarking/tasks.peer_values_update). Every door that
creates, changes or deletes a cluster comes here.
"""

from django.db import transaction

from activity import actions
from activity.services import changes, log_action
from clusters.models import Cluster
from ecei_site.tasks import enqueue_with_transaction

# The fields a report's comparison groups are keyed by (services.peer_values).
GROUP_FIELDS = ("portfolio_id", "country")
# The record's own fields, whose old and new values the action log keeps.
RECORD_FIELDS = (
    "name", "slug", "portfolio_id", "country", "region", "website", "eccp_profile_url",
    "organisation_name", "contact_email", "description",
)  # fmt: skip


def _values(cluster: Cluster) -> dict:
    return {field: str(getattr(cluster, field)) for field in RECORD_FIELDS}


def _stored_values(cluster: Cluster) -> dict | None:
    if cluster.pk is None:
        return None
    stored = Cluster.objects.filter(pk=cluster.pk).first()
    return None if stored is None else _values(stored)


def cluster_save(*, cluster: Cluster, user, reason: str = "") -> Cluster:
    """Create or change a cluster, validated, with its history and a named action; its peer
    values follow a change of portfolio or country (a new cluster has none to move)."""
    cluster.full_clean()
    before = _stored_values(cluster)
    cluster._history_user = user
    if reason:
        cluster._change_reason = reason[:100]
    with transaction.atomic():
        cluster.save()
        changed = changes(before or {}, _values(cluster))
        if before is not None and set(GROUP_FIELDS) & set(changed):
            # In the worker (a refresh costs a request's budget at 10,000 clusters; an import
            # of many rows asks once per moved cluster): idempotent, so asking twice costs nothing.
            from benchmarking.tasks import peer_values_update  # the tasks module imports the services

            enqueue_with_transaction(peer_values_update, [cluster.pk])
        if before is None or changed:
            action = actions.CLUSTER_CREATED if before is None else actions.CLUSTER_UPDATED
            log_action(action=action, obj=cluster, user=user, data={"changes": changed}, reason=reason)
    return cluster


def cluster_delete(*, cluster: Cluster, user) -> None:
    """Delete a cluster that nothing rests on (its interviews, labels and audits protect it)."""
    cluster._history_user = user
    with transaction.atomic():
        cluster.delete()
