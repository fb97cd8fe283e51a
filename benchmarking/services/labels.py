"""The rules of the ECEI labels: validity periods, codes, awarding and status changes.

Each rule of domain.md ("Labels") lives here once. The periods are settings.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.limits import REASON_MAX_LENGTH, too_long
from benchmarking.models import Label
from benchmarking.services.dates import add_years
from benchmarking.services.label_facts import label_facts_refresh
from clusters.models import Cluster

LEVEL_LETTERS = {Label.Level.BRONZE: "B", Label.Level.SILVER: "S", Label.Level.GOLD: "G"}
# ISO-3 country, serial, year and month of the benchmarking, level letter: MEX0362018 05B
CODE_PATTERN = re.compile(r"^(?P<country>[A-Z]{3})(?P<serial>\d+)(?P<year>\d{4})(?P<month>\d{2})(?P<level>[BSG])$")


class LabelError(Exception):
    """A label operation that the rules do not allow; the message says why."""


@dataclass(frozen=True)
class LabelTerms:
    """When a new label would be valid, and which earlier label it renews, if any."""

    valid_from: datetime.date
    valid_until: datetime.date
    renews: Label | None = None

    @property
    def is_renewal(self) -> bool:
        return self.renews is not None


def renewal_deadline(label: Label) -> datetime.date:
    """The last day on which a benchmarking still renews `label` (the grace year)."""
    return add_years(label.valid_until, settings.ECEI_LABEL_RENEWAL_GRACE_YEARS)


# The levels a later benchmarking (or audit) renews (domain.md: Bronze, and Silver "renewable
# like Bronze", up to a year after expiry). Gold starts afresh each time.
RENEWABLE_LEVELS = {Label.Level.BRONZE, Label.Level.SILVER}
# The setting that holds each level's first period (a label that renews nothing).
FIRST_PERIOD_SETTINGS = {
    Label.Level.BRONZE: "ECEI_LABEL_FIRST_VALIDITY_YEARS",
    Label.Level.SILVER: "ECEI_SILVER_VALIDITY_YEARS",
    Label.Level.GOLD: "ECEI_GOLD_VALIDITY_YEARS",
}


def bronze_terms(
    *, benchmarked_on: datetime.date, previous: Label | None, level: str = Label.Level.BRONZE
) -> LabelTerms:
    """The validity of a Bronze (or Silver) label earned by a benchmarking (audit) on `benchmarked_on`.

    - A first label runs 2 years from the interview (audit) date.
    - A benchmarking while the previous label is valid, or up to 1 year after it expired,
      renews it: the new label runs on seamlessly, 3 years from the previous label's end.
    - A later benchmarking starts afresh, like a first label.
    """
    if previous is not None and benchmarked_on <= renewal_deadline(previous):
        return LabelTerms(
            valid_from=previous.valid_until + datetime.timedelta(days=1),
            valid_until=add_years(previous.valid_until, settings.ECEI_LABEL_RENEWAL_VALIDITY_YEARS),
            renews=previous,
        )
    return fixed_terms(level=level, benchmarked_on=benchmarked_on)


def fixed_terms(*, level: str, benchmarked_on: datetime.date) -> LabelTerms:
    """A first period: Bronze 2 years from the interview, Silver 2 from the audit, Gold 2 from the assessment."""
    years = getattr(settings, FIRST_PERIOD_SETTINGS[level])
    return LabelTerms(valid_from=benchmarked_on, valid_until=add_years(benchmarked_on, years))


def renewable_label(
    *, cluster: Cluster, benchmarked_on: datetime.date, level: str = Label.Level.BRONZE
) -> Label | None:
    """The cluster's latest label of `level` that a benchmarking on that day could renew.

    A withdrawn label is never renewed; a suspended one is (the new benchmarking is how a
    cluster shows it meets the requirements again).
    """
    return (
        cluster.labels.filter(level=level, valid_from__lte=benchmarked_on)
        .exclude(status=Label.Status.WITHDRAWN)
        .order_by("-valid_until")
        .first()
    )


def renewal_refusal(*, cluster: Cluster, benchmarked_on: datetime.date, level: str = Label.Level.BRONZE) -> str | None:
    """Why a benchmarking (Silver: an audit) on that day cannot earn a label of `level`, or None.

    The renewal rule (README, "Renewal"): a benchmarking renews only the label valid on its
    day (or in that label's grace year). A label that starts after the benchmarking (a
    renewal already awarded) means the cluster is renewed already: a second renewal would
    stack another three years on a period that has not begun, so it is refused.
    """
    ahead = (
        cluster.labels.filter(level=level, valid_from__gt=benchmarked_on)
        .exclude(status=Label.Status.WITHDRAWN)
        .order_by("valid_from")
        .first()
    )
    return None if ahead is None else _renewed_already(cluster, ahead)


def _renewed_already(cluster: Cluster, ahead: Label) -> str:
    return _(
        "%(cluster)s is already renewed: label %(code)s runs from %(start)s to %(end)s. "
        "A benchmarking on or after %(start)s can renew it."
    ) % {
        "cluster": cluster,
        "code": ahead.code,
        "start": date_format(ahead.valid_from),
        "end": date_format(ahead.valid_until),
    }


def label_terms(*, cluster: Cluster, level: str, benchmarked_on: datetime.date) -> LabelTerms:
    if level in RENEWABLE_LEVELS:
        refusal = renewal_refusal(cluster=cluster, benchmarked_on=benchmarked_on, level=level)
        if refusal:
            raise LabelError(refusal)
        previous = renewable_label(cluster=cluster, benchmarked_on=benchmarked_on, level=level)
        return bronze_terms(benchmarked_on=benchmarked_on, previous=previous, level=level)
    return fixed_terms(level=level, benchmarked_on=benchmarked_on)


def label_terms_among(
    labels: Iterable[Label], *, cluster: Cluster, level: str, benchmarked_on: datetime.date
) -> LabelTerms:
    """label_terms over the cluster's labels as the caller holds them, without a query: a bulk
    write of a past history (services/bulk.py) keeps each cluster's labels in memory rather
    than reading them for every label it adds. The same rules as renewal_refusal and
    renewable_label, in Python (tests/test_labels_rules.py holds the two to the same answers)."""
    if level not in RENEWABLE_LEVELS:
        return fixed_terms(level=level, benchmarked_on=benchmarked_on)
    kept = [label for label in labels if label.level == level and label.status != Label.Status.WITHDRAWN]
    ahead = min((x for x in kept if x.valid_from > benchmarked_on), key=lambda x: x.valid_from, default=None)
    if ahead is not None:
        raise LabelError(_renewed_already(cluster, ahead))
    started = [label for label in kept if label.valid_from <= benchmarked_on]
    previous = max(started, key=lambda x: x.valid_until, default=None)
    return bronze_terms(benchmarked_on=benchmarked_on, previous=previous, level=level)


# --- Codes ---------------------------------------------------------------------------------


def label_code(*, country_alpha3: str, serial: int, benchmarked_on: datetime.date, level: str) -> str:
    return f"{country_alpha3}{serial:03d}{benchmarked_on:%Y%m}{LEVEL_LETTERS[level]}"


def next_label_serial(country_alpha3: str) -> int:
    """One more than the highest serial ever used for the country.

    Labels are never deleted (the admin refuses it and foreign keys protect them), so a
    serial, and with it a code, is never reused.
    """
    codes = Label.objects.filter(code__startswith=country_alpha3).values_list("code", flat=True)
    serials = [int(m["serial"]) for m in map(CODE_PATTERN.match, codes) if m]
    return max(serials, default=0) + 1


def next_label_code(*, cluster: Cluster, level: str, benchmarked_on: datetime.date) -> str:
    alpha3 = cluster.country.alpha3
    return label_code(
        country_alpha3=alpha3, serial=next_label_serial(alpha3), benchmarked_on=benchmarked_on, level=level
    )


# --- Awarding and status changes -------------------------------------------------------------


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
) -> Label:
    """Create the label that the rules give for a benchmarking, audit or assessment."""
    terms = label_terms(cluster=cluster, level=level, benchmarked_on=benchmarked_on)
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
                label_facts_refresh([cluster.pk])
            return label
        except IntegrityError:
            if not Label.objects.filter(code=label.code).exists():
                raise
    raise LabelError(_("Could not allocate a unique label code; please try again."))


def _label_set_status(*, label: Label, status: str, reason: str, user) -> Label:
    if not reason.strip():
        raise LabelError(_("Give a reason: it is shown in the label's history."))
    refusal = too_long(reason.strip(), REASON_MAX_LENGTH, _("the reason"))
    if refusal:
        raise LabelError(refusal)
    label.status = status
    label.status_reason = reason.strip()
    label.status_changed_on = timezone.localdate()
    label._history_user = user
    label._change_reason = reason.strip()[:100]  # the history's column; the whole reason is status_reason
    with transaction.atomic():
        label.save(update_fields=["status", "status_reason", "status_changed_on"])
        label_facts_refresh([label.cluster_id])
    return label


def label_suspend(*, label: Label, reason: str, user) -> Label:
    if label.status != Label.Status.ACTIVE:
        raise LabelError(
            _("Only an active label can be suspended; this one is %(status)s.")
            % {"status": label.get_status_display().lower()}
        )
    return _label_set_status(label=label, status=Label.Status.SUSPENDED, reason=reason, user=user)


def label_reinstate(*, label: Label, reason: str, user) -> Label:
    if label.status != Label.Status.SUSPENDED:
        raise LabelError(_("Only a suspended label can be reinstated."))
    return _label_set_status(label=label, status=Label.Status.ACTIVE, reason=reason, user=user)


def label_withdraw(*, label: Label, reason: str, user) -> Label:
    if label.status == Label.Status.WITHDRAWN:
        raise LabelError(_("This label is already withdrawn."))
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
