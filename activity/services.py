"""Logging an action: the one function every write service calls (pretix's `obj.log_action`)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from activity.actions import CODES
from activity.models import ActionLog


class NotInTransaction(RuntimeError):
    """log_action was called outside a transaction: the action and its write could part ways."""


def cluster_id_of(obj: models.Model) -> int | None:
    """The cluster an object concerns: the cluster itself, or the cluster it belongs to."""
    from clusters.models import Cluster

    if isinstance(obj, Cluster):
        return obj.pk
    if getattr(obj, "cluster_id", None) is not None:
        return obj.cluster_id
    interview = getattr(obj, "interview", None)  # a report, an invitation
    return getattr(interview, "cluster_id", None)


def changes(before: dict, after: dict) -> dict:
    """{field: {"old": ..., "new": ...}} for the fields whose value differs (the data's "changes")."""
    return {name: {"old": before.get(name), "new": value} for name, value in after.items() if before.get(name) != value}


def log_action(
    *,
    action: str,
    obj: models.Model,
    user,
    data: dict | None = None,
    reason: str = "",
    cluster_id: int | None = None,
) -> ActionLog:
    """Record that `user` (None: the system) took `action` on `obj`, with its data and whole reason.

    Called inside the service's transaction, so that an action is logged exactly when its write
    is kept: a refused or rolled-back service logs nothing. `cluster_id` defaults to the cluster
    `obj` concerns.
    """
    if action not in CODES:
        raise ValueError(f"{action!r} is not an action of activity.actions")
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(f"log_action({action!r}) must run inside the transaction of its write")
    if user is not None and not user.is_authenticated:
        user = None
    return ActionLog.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        cluster_id=cluster_id if cluster_id is not None else cluster_id_of(obj),
        user=user,
        created_at=timezone.now(),
        data=data or {},
        reason=(reason or "").strip(),
    )


def log_actions(*, action: str, entries: list[tuple[models.Model, dict, str]], user) -> None:
    """log_action for many objects of one write at once, `entries` each (obj, data, reason): the
    same rows in one INSERT (a bulk write, like the legacy import's batch of hundreds of rows)."""
    if action not in CODES:
        raise ValueError(f"{action!r} is not an action of activity.actions")
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(f"log_actions({action!r}) must run inside the transaction of its write")
    if user is not None and not user.is_authenticated:
        user = None
    now = timezone.now()
    ActionLog.objects.bulk_create(
        ActionLog(
            action=action,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            cluster_id=cluster_id_of(obj),
            user=user,
            created_at=now,
            data=data or {},
            reason=(reason or "").strip(),
        )
        for obj, data, reason in entries
    )
