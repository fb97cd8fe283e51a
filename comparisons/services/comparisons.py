"""Comparisons made and saved: the writes (docs/comparisons.md).

comparison_make computes a comparison and records it in one transaction, holding the cluster's
row: the differencing rule compares a new group with the groups already shown for the cluster,
so two requests at once must not both pass against the same history and then both be shown.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import actions
from activity.services import log_action
from clusters.models import Cluster
from comparisons.filters import GroupFilters
from comparisons.models import Comparison, SavedComparison, ShownGroup
from comparisons.selectors.access import is_guarded
from comparisons.selectors.groups import Comparison as Result
from comparisons.selectors.groups import compare, encode_members

NAME_MAX = 120


class ComparisonError(ValueError):
    """A refused write, with its message for the reader."""


def comparison_make(*, cluster: Cluster, user, filters: GroupFilters, channel: str = Comparison.Channel.PAGE) -> Result:
    """The comparison, recorded (who, when, filters, outcome); a shown group's membership is kept
    for the differencing rule when the reader is one the rule guards (a manager)."""
    guarded = is_guarded(user)
    with transaction.atomic():
        list(Cluster.objects.select_for_update().filter(pk=cluster.pk).values_list("pk", flat=True))
        result = compare(cluster, filters, guarded=guarded)
        now = timezone.now()
        record = Comparison.objects.create(
            cluster=cluster,
            user=user if user.is_authenticated else None,
            catalogue=result.catalogue,
            created_at=now,
            filters=result.filters.as_json(),
            channel=channel,
            outcome=Comparison.Outcome.SHOWN if result.is_shown else Comparison.Outcome.REFUSED,
            group_size=result.size,
            withheld=result.withheld,
            reason=result.refusal.message if result.refusal else "",
            fingerprint=result.fingerprint if result.is_shown else "",
        )
        if result.is_shown and guarded:
            ShownGroup.objects.get_or_create(
                cluster=cluster,
                catalogue=result.catalogue,
                fingerprint=result.fingerprint,
                defaults={"size": result.size, "members": encode_members(result.members), "first_shown_at": now},
            )
        log_action(
            action=actions.COMPARISON_MADE,
            obj=record,
            user=user,
            cluster_id=cluster.pk,
            data={
                "filters": record.filters,
                "outcome": record.outcome,
                "group_size": record.group_size,
                "channel": channel,
            },
        )
    return result


def saved_comparison_refusal(*, cluster: Cluster, name: str) -> str | None:
    name = name.strip()
    if not name:
        return _("Give the group a name.")
    if len(name) > NAME_MAX:
        return _("A name has at most %(n)s characters.") % {"n": NAME_MAX}
    if SavedComparison.objects.filter(cluster=cluster, name=name).exists():
        return _("Your cluster has a saved group of this name already.")
    return None


def saved_comparison_save(*, cluster: Cluster, user, name: str, filters: GroupFilters) -> SavedComparison:
    refusal = saved_comparison_refusal(cluster=cluster, name=name)
    if refusal:
        raise ComparisonError(refusal)
    try:
        with transaction.atomic():
            saved = SavedComparison.objects.create(
                cluster=cluster, name=name.strip(), filters=filters.as_json(), created_by=user
            )
            log_action(
                action=actions.COMPARISON_SAVED,
                obj=saved,
                user=user,
                data={"name": saved.name, "filters": saved.filters},
            )
    except IntegrityError as error:  # the same name saved at the same moment
        raise ComparisonError(_("Your cluster has a saved group of this name already.")) from error
    return saved


def saved_comparison_delete(*, saved: SavedComparison, user) -> None:
    """A manager deletes their cluster's saved group; the secretariat's standard groups are kept in the admin."""
    if saved.is_standard:
        raise ComparisonError(_("A standard group is kept by the secretariat."))
    with transaction.atomic():
        log_action(
            action=actions.COMPARISON_DELETED, obj=saved, user=user, data={"name": saved.name, "filters": saved.filters}
        )
        saved.delete()
