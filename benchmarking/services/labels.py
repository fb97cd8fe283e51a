"""Writes of the ECEI labels: awarding, re-basing on the chronology, status changes and imports.

The rules they apply (terms, renewal, the chronology, codes) are in rules/label_terms.py and
rules/label_codes.py; the refusals of each status change stand beside it here.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activity import actions
from activity.services import changes, log_action
from benchmarking.limits import REASON_MAX_LENGTH, too_long
from benchmarking.models import Label
from benchmarking.rules.dates import add_years
from benchmarking.rules.label_codes import next_label_code
from benchmarking.rules.label_periods import LabelError, renewal_deadline
from benchmarking.rules.label_terms import Rebase, award_plan
from benchmarking.services.label_facts import label_facts_refresh
from clusters.models import Cluster


def label_award(
    *,
    cluster: Cluster,
    level: str,
    benchmarked_on: datetime.date,
    source: str,
    user=None,
    interview=None,
    silver_audit=None,
    gold_assessment=None,
    awarded_on: datetime.date | None = None,
    data: dict | None = None,
    recommendation=None,
) -> Label:
    """Create the label that the rules give for a benchmarking, audit or assessment, and re-base
    the later labels of its level on it (the chronology: the board's decisions commute).
    `recommendation`: the board's recommendation being approved (its place among those of a day).

    Logged as awarded by `user`, with its terms and the caller's `data` (the board's decision)."""
    plan = award_plan(cluster=cluster, level=level, benchmarked_on=benchmarked_on, recommendation=recommendation)
    terms = plan.terms
    for _attempt in range(3):
        label = Label(
            cluster=cluster,
            level=level,
            code=next_label_code(cluster=cluster, level=level, benchmarked_on=benchmarked_on),
            benchmarked_on=benchmarked_on,
            awarded_on=awarded_on or timezone.localdate(),
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            renews=terms.renews,
            source=source,
            interview=interview,
            silver_audit=silver_audit,
            gold_assessment=gold_assessment,
        )
        label.full_clean(validate_unique=False)
        label._history_user = user
        try:
            # A savepoint, so that a code taken meanwhile by a concurrent award can be retried.
            with transaction.atomic():
                label.save()
                label_chronology_rebase(plan.rebases, new_label=label, user=user)
                label_facts_refresh([cluster.pk])
                _log_award(label, user=user, data=data)
            return label
        except IntegrityError:
            if not Label.objects.filter(code=label.code).exists():
                raise
    raise LabelError(_("Could not allocate a unique label code; please try again."))


def _log_award(label: Label, *, user, data: dict | None) -> None:
    terms = {
        "code": label.code,
        "level": label.level,
        "benchmarked_on": label.benchmarked_on,
        "valid_from": label.valid_from,
        "valid_until": label.valid_until,
    }
    if label.renews_id:
        terms["renews"] = label.renews.code
    log_action(action=actions.LABEL_AWARDED, obj=label, user=user, data={**terms, **(data or {})})


STATUS_ACTIONS = {
    Label.Status.SUSPENDED: actions.LABEL_SUSPENDED,
    Label.Status.ACTIVE: actions.LABEL_REINSTATED,
    Label.Status.WITHDRAWN: actions.LABEL_WITHDRAWN,
}


def label_chronology_rebase(rebases: list[Rebase], *, new_label: Label, user) -> None:
    """Give the later labels the terms the chronology gives them now that `new_label`, benchmarked
    earlier, is awarded; each change is kept in the label's history and logged with the reason."""
    for rebase in rebases:
        label = rebase.label
        before = {"valid_from": str(label.valid_from), "valid_until": str(label.valid_until)}
        label.valid_from, label.valid_until = rebase.valid_from, rebase.valid_until
        label.renews = new_label if rebase.renews_new_label else rebase.renews
        reason = f"Re-based on {new_label.code}, benchmarked {new_label.benchmarked_on} (awarded later)"
        label._history_user = user
        label._change_reason = reason[:100]
        label.save(update_fields=["valid_from", "valid_until", "renews"])
        after = {"valid_from": str(label.valid_from), "valid_until": str(label.valid_until)}
        log_action(
            action=actions.LABEL_REBASED, obj=label, user=user, data={"changes": changes(before, after)}, reason=reason
        )


def _label_set_status(*, label: Label, status: str, reason: str, user) -> Label:
    if not reason.strip():
        raise LabelError(_("Give a reason: it is shown in the label's history."))
    refusal = too_long(reason.strip(), REASON_MAX_LENGTH, _("the reason"))
    if refusal:
        raise LabelError(refusal)
    before = label.status
    label.status = status
    label.status_reason = reason.strip()
    label.status_changed_on = timezone.localdate()
    label._history_user = user
    label._change_reason = reason.strip()[:100]  # the history's column; the whole reason is logged
    with transaction.atomic():
        label.save(update_fields=["status", "status_reason", "status_changed_on"])
        label_facts_refresh([label.cluster_id])
        log_action(
            action=STATUS_ACTIONS[status],
            obj=label,
            user=user,
            data={"changes": {"status": {"old": before, "new": status}}},
            reason=reason,
        )
    return label


def label_suspend_refusal(*, label: Label, today: datetime.date | None = None) -> str | None:
    """Why `label` cannot be suspended, or None: only an active label not yet expired (an expired
    label is valid no more; there is nothing to suspend)."""
    today = today or timezone.localdate()
    if label.status != Label.Status.ACTIVE:
        return _("Only an active label can be suspended; this one is %(status)s.") % {
            "status": label.get_status_display().lower()
        }
    if label.is_expired(today):
        return _("The label %(code)s expired on %(day)s: there is nothing to suspend.") % {
            "code": label.code,
            "day": date_format(label.valid_until),
        }
    return None


def label_reinstate_refusal(*, label: Label, today: datetime.date | None = None) -> str | None:
    """Why `label` cannot be reinstated, or None: only a suspended one (a withdrawn label never is).
    An expired suspended label may be: its record then says expired, no longer suspended."""
    if label.status == Label.Status.WITHDRAWN:
        return _("The label %(code)s is withdrawn: a withdrawn label is never reinstated.") % {"code": label.code}
    if label.status != Label.Status.SUSPENDED:
        return _("Only a suspended label can be reinstated.")
    return None


def label_withdraw_refusal(*, label: Label, today: datetime.date | None = None) -> str | None:
    """Why `label` cannot be withdrawn, or None: not twice, and not once it is over for good (more
    than the renewal grace year after its end, it is history and stays in the record as expired)."""
    today = today or timezone.localdate()
    if label.status == Label.Status.WITHDRAWN:
        return _("This label is already withdrawn.")
    if today > renewal_deadline(label):
        return _(
            "The label %(code)s expired on %(day)s, more than a year ago: it stays in the record as expired."
        ) % {"code": label.code, "day": date_format(label.valid_until)}
    return None


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise LabelError(refusal)


def label_suspend(*, label: Label, reason: str, user) -> Label:
    _refuse(label_suspend_refusal(label=label))
    return _label_set_status(label=label, status=Label.Status.SUSPENDED, reason=reason, user=user)


def label_reinstate(*, label: Label, reason: str, user) -> Label:
    _refuse(label_reinstate_refusal(label=label))
    return _label_set_status(label=label, status=Label.Status.ACTIVE, reason=reason, user=user)


def label_withdraw(*, label: Label, reason: str, user) -> Label:
    _refuse(label_withdraw_refusal(label=label))
    return _label_set_status(label=label, status=Label.Status.WITHDRAWN, reason=reason, user=user)


# --- Imports -----------------------------------------------------------------------------------


def imported_label_refusals(label: Label) -> dict[str, str]:
    """Why a label row of an import may not be stored (field → message); empty when it may.

    An import adds labels of the earlier database with their dates as listed, under the
    rules an award follows: a code is never reused or changed, a label starts active (a
    status change needs a reason, given with the label actions), its period is no longer
    than the rules give, and Bronze periods of one cluster never overlap.
    """
    refusals = {}
    if label.pk is not None:
        refusals["code"] = _("A label with this code exists; an import never changes a label (use the label actions).")
    if label.source != Label.Source.IMPORT:
        refusals["source"] = _("Imported labels have the source '%(source)s'.") % {"source": Label.Source.IMPORT}
    if label.status != Label.Status.ACTIVE:
        refusals["status"] = _("Import the label as active; suspend or withdraw it afterwards, with a reason.")
    refusals.update(_imported_dates_refusals(label))
    overlap = None if refusals or label.level != Label.Level.BRONZE else _overlapping_bronze(label)
    if overlap is not None:
        refusals["valid_from"] = _(
            "The period overlaps Bronze label %(code)s of this cluster; "
            "a renewal starts the day after the label it renews."
        ) % {"code": overlap.code}
    return refusals


def label_import(*, label: Label, user) -> Label:
    """Store a label of the earlier database (the admin's import): the one door for imported
    labels, under `imported_label_refusals`, with the cluster's public facts refreshed."""
    refusals = imported_label_refusals(label)
    if refusals:
        raise LabelError(" ".join(refusals.values()))
    label.full_clean()
    label._history_user = user
    label._change_reason = "Imported in the admin"
    with transaction.atomic():
        label.save(force_insert=True)
        label_facts_refresh([label.cluster_id])
        log_action(
            action=actions.LABEL_IMPORTED,
            obj=label,
            user=user,
            data={"level": label.level, "valid_from": str(label.valid_from), "valid_until": str(label.valid_until)},
        )
    return label


def _imported_dates_refusals(label: Label) -> dict[str, str]:
    dates = (label.benchmarked_on, label.awarded_on, label.valid_from, label.valid_until)
    if None in dates or not label.level:
        return {}  # the model's own validation names the missing value
    today = timezone.localdate()
    refusals = {}
    if label.benchmarked_on > today:
        refusals["benchmarked_on"] = _("The benchmarking date cannot be in the future.")
    elif label.awarded_on < label.benchmarked_on or label.awarded_on > today:
        refusals["awarded_on"] = _("The award date lies between the benchmarking and today.")
    if label.valid_from < label.benchmarked_on:
        refusals["valid_from"] = _("A label cannot be valid before the benchmarking behind it.")
    longest = {
        Label.Level.BRONZE: max(settings.ECEI_LABEL_FIRST_VALIDITY_YEARS, settings.ECEI_LABEL_RENEWAL_VALIDITY_YEARS),
        Label.Level.SILVER: settings.ECEI_SILVER_VALIDITY_YEARS,
        Label.Level.GOLD: settings.ECEI_GOLD_VALIDITY_YEARS,
    }.get(label.level)
    if longest and label.valid_until > add_years(label.valid_from, longest):
        refusals["valid_until"] = _("A %(level)s label is valid for at most %(years)s years.") % {
            "level": label.get_level_display(),
            "years": longest,
        }
    return refusals


def _overlapping_bronze(label: Label) -> Label | None:
    return (
        Label.objects.filter(
            cluster_id=label.cluster_id,
            level=Label.Level.BRONZE,
            valid_from__lte=label.valid_until,
            valid_until__gte=label.valid_from,
        )
        .exclude(status=Label.Status.WITHDRAWN)
        .exclude(pk=label.pk)
        .first()
    )
