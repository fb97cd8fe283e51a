"""The terms of a label by the chronology of a cluster's benchmarkings (domain.md, "Labels";
README, "Renewal"): which earlier label it renews, if any, and why a benchmarking is refused.
The periods themselves are rules/label_periods.py.

Rules only: they read labels and recommendations, never write. The awarding itself, which
applies these terms, is services/labels.label_award.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.models import Label
from benchmarking.rules.label_periods import (
    RENEWABLE_LEVELS,
    LabelError,
    LabelTerms,
    bronze_terms,
    fixed_terms,
)
from clusters.models import Cluster

# --- The benchmarking chronology ------------------------------------------------------------
#
# The board's decisions commute (domain.md): the labels that follow from a set of
# recommendations do not depend on the order in which the board decides them. So the terms
# of a renewable level (Bronze, Silver) follow the chronology of the cluster's benchmarkings
# of that level, oldest first, whatever the order of the awards:
# - each benchmarking renews the label its predecessors leave valid on its day, or in that
#   label's grace year (bronze_terms); a withdrawn label is never renewed;
# - a benchmarking made while the period it would renew is renewed already by an earlier
#   one (awarded or waiting for the board) is refused: a second renewal would stack;
# - when an earlier benchmarking is awarded after a later one, the later labels are
#   re-based on it (label_chronology_rebase): their terms become what they would have been
#   had the board decided oldest first; the change is kept in each label's history. Their
#   codes stay as issued.
# Imported labels keep the dates of the earlier database, withdrawn labels the dates they had.


@dataclass(frozen=True)
class Benchmarking:
    """A benchmarking in a cluster's chronology of one level: an awarded label, a recommendation
    waiting for the board, or the benchmarking being decided (neither label nor recommendation)."""

    benchmarked_on: datetime.date
    order: tuple  # among benchmarkings of one day: the recommendation's, then the label's number
    label: Label | None = None
    fixed: LabelTerms | None = None  # terms that stay as they are (imported or withdrawn, or asked so)
    withdrawn: bool = False


@dataclass(frozen=True)
class Derived:
    """A benchmarking's terms by the chronology (and the benchmarking whose label it renews), or
    None with the earlier benchmarking whose label starts after its day (it would stack)."""

    benchmarking: Benchmarking
    terms: LabelTerms | None
    renews: Benchmarking | None = None
    renewed_by: "Derived | None" = None
    lapsed: "Derived | None" = None  # a first label: the latest earlier one, past its grace year


def chronology_terms(benchmarkings: list[Benchmarking], level: str) -> list[Derived]:
    """The terms of every benchmarking of one renewable level, derived oldest first (the rule above)."""
    derived: list[Derived] = []
    for benchmarking in sorted(benchmarkings, key=lambda b: (b.benchmarked_on, b.order)):
        day = benchmarking.benchmarked_on
        if benchmarking.fixed is not None:
            derived.append(Derived(benchmarking, benchmarking.fixed))
            continue
        live = [d for d in derived if d.terms is not None and not d.benchmarking.withdrawn]
        ahead = [d for d in live if d.terms.valid_from > day]
        if ahead:
            derived.append(Derived(benchmarking, None, renewed_by=min(ahead, key=lambda d: d.terms.valid_from)))
            continue
        previous = max(live, key=lambda d: d.terms.valid_until, default=None)
        terms = bronze_terms(benchmarked_on=day, previous=previous and previous.terms, level=level)
        if terms.is_renewal:
            renewed = previous.benchmarking
            terms = LabelTerms(terms.valid_from, terms.valid_until, renewed.label)
            derived.append(Derived(benchmarking, terms, renewed))
        else:
            derived.append(Derived(benchmarking, terms, lapsed=previous))
    return derived


def _label_order(label: Label) -> tuple:
    recommendation = getattr(label, "recommendation", None) if label.source != Label.Source.IMPORT else None
    return (recommendation.pk if recommendation else 0, label.pk)


def _labels_in_chronology(cluster: Cluster, level: str, *, fixed_before: tuple | None = None) -> list[Benchmarking]:
    """The cluster's labels of `level`; imported and withdrawn ones keep their terms, and so do
    those before `fixed_before` ((day, order): the benchmarking being decided)."""
    labels = cluster.labels.filter(level=level).select_related("recommendation", "renews")
    return [_in_chronology(label, _label_order(label), fixed_before=fixed_before) for label in labels]


def _in_chronology(label: Label, order: tuple, *, fixed_before: tuple | None) -> Benchmarking:
    withdrawn = label.status == Label.Status.WITHDRAWN
    keeps = (
        withdrawn
        or label.source == Label.Source.IMPORT
        or (fixed_before is not None and (label.benchmarked_on, order) < fixed_before)
    )
    terms = LabelTerms(label.valid_from, label.valid_until, label.renews)
    return Benchmarking(label.benchmarked_on, order, label, terms if keeps else None, withdrawn)


def _waiting_in_chronology(cluster: Cluster, level: str, *, exclude: int | None) -> list[Benchmarking]:
    from benchmarking.models import LabelRecommendation  # noqa: PLC0415 - the board's model, read here only

    waiting = cluster.label_recommendations.filter(level=level, status=LabelRecommendation.Status.PENDING)
    return [Benchmarking(r.benchmarked_on, (r.pk, 0)) for r in waiting.exclude(pk=exclude)]


# A benchmarking not recommended yet comes after those of its day that are.
NOT_RECOMMENDED = 10**12


def renewal_refusal(
    *,
    cluster: Cluster,
    benchmarked_on: datetime.date,
    level: str = Label.Level.BRONZE,
    recommendation=None,
    labels=None,
) -> str | None:
    """Why a benchmarking (Silver: an audit) on that day cannot earn a label of `level`, or None.

    The renewal rule (README, "Renewal"), by the chronology: a benchmarking renews only the
    label valid on its day (or in that label's grace year). When an earlier benchmarking, awarded
    or waiting for the board, already renews that period (its label starts after this day), a
    second renewal would stack another three years on a period that has not begun: refused,
    whatever the order in which the board decides. `recommendation`: the one being decided.

    `labels`: the cluster's labels when the caller holds them (the legacy import: its planned
    labels among them), for a benchmarking not recommended yet: the labels' chronology is then
    label_terms' with `labels` (no query for them). The benchmarkings waiting for the board are
    still read, since they renew as much as a label does; a cluster not saved yet has none.
    """
    if level not in RENEWABLE_LEVELS:
        return None
    if labels is not None:
        waiting = _waiting_in_chronology(cluster, level, exclude=None) if cluster.pk else []
        derived = _derived_from_labels(labels, level=level, benchmarked_on=benchmarked_on, waiting=waiting)
        return _already_renewed(cluster, derived.renewed_by) if derived.terms is None else None
    order = (recommendation.pk, 0) if recommendation else (NOT_RECOMMENDED, 0)
    candidate = Benchmarking(benchmarked_on, order)
    chronology = [
        *_labels_in_chronology(cluster, level),
        *_waiting_in_chronology(cluster, level, exclude=recommendation and recommendation.pk),
        candidate,
    ]
    derived = next(d for d in chronology_terms(chronology, level) if d.benchmarking is candidate)
    if derived.terms is None:
        return _already_renewed(cluster, derived.renewed_by)
    return None


def _already_renewed(cluster: Cluster, by: Derived) -> str:
    words = {
        "cluster": cluster,
        "start": date_format(by.terms.valid_from),
        "end": date_format(by.terms.valid_until),
        "day": date_format(by.benchmarking.benchmarked_on),
    }
    if by.benchmarking.label is not None:
        return _(
            "%(cluster)s is already renewed: label %(code)s runs from %(start)s to %(end)s. "
            "A benchmarking on or after %(start)s can renew it."
        ) % {**words, "code": by.benchmarking.label.code}
    return _(
        "%(cluster)s is already renewed by the benchmarking of %(day)s, which waits for the board: "
        "its label would run from %(start)s to %(end)s. A benchmarking on or after %(start)s can renew it."
    ) % words


@dataclass(frozen=True)
class Rebase:
    """A later label's terms by the chronology, once the new label is awarded."""

    label: Label
    valid_from: datetime.date
    valid_until: datetime.date
    renews_new_label: bool  # it renews the label being awarded
    renews: Label | None  # otherwise: the label it renews, if any


@dataclass(frozen=True)
class AwardPlan:
    """The terms of a new label and the later labels of its level to re-base on it."""

    terms: LabelTerms
    rebases: list[Rebase]


def award_plan(
    *, cluster: Cluster, level: str, benchmarked_on: datetime.date, recommendation=None
) -> AwardPlan:
    """What awarding a label for this benchmarking gives, by the chronology; LabelError when refused."""
    if level not in RENEWABLE_LEVELS:
        return AwardPlan(fixed_terms(level=level, benchmarked_on=benchmarked_on), [])
    refusal = renewal_refusal(
        cluster=cluster, benchmarked_on=benchmarked_on, level=level, recommendation=recommendation
    )
    if refusal:
        raise LabelError(refusal)
    order = (recommendation.pk, 0) if recommendation else (NOT_RECOMMENDED, 0)
    candidate = Benchmarking(benchmarked_on, order)
    labels = _labels_in_chronology(cluster, level, fixed_before=(benchmarked_on, order))
    derived = chronology_terms([*labels, candidate], level)
    rebases = [_rebase(item, candidate) for item in derived if item.benchmarking.label and not item.benchmarking.fixed]
    terms = next(d.terms for d in derived if d.benchmarking is candidate)
    return AwardPlan(terms, [rebase for rebase in rebases if rebase is not None])


def _rebase(item: Derived, candidate: Benchmarking) -> Rebase | None:
    """The change a later label takes (None when its terms stay); LabelError when it would stack."""
    label = item.benchmarking.label
    if item.terms is None:
        raise LabelError(
            _(
                "Label %(code)s, benchmarked on %(day)s, would then renew a period that is renewed "
                "already; the secretariat must withdraw one of them first."
            )
            % {"code": label.code, "day": date_format(label.benchmarked_on)}
        )
    renews_new = item.renews is candidate
    rebase = Rebase(label, item.terms.valid_from, item.terms.valid_until, renews_new, item.terms.renews)
    now = (label.valid_from, label.valid_until, label.renews)
    unchanged = now == (rebase.valid_from, rebase.valid_until, rebase.renews)
    return None if unchanged and not renews_new else rebase


def first_label_reason(labels, *, level: str, benchmarked_on: datetime.date) -> str:
    """Why a label of `level` benchmarked on that day renews no earlier label, in words, from the
    cluster's `labels` by the chronology (the screens say it rather than "no earlier label" when
    there was one)."""
    if level not in RENEWABLE_LEVELS:
        return _("a Gold label is never a renewal: it runs from the assessment")
    lapsed = _derived_from_labels(labels, level=level, benchmarked_on=benchmarked_on).lapsed
    if lapsed is not None and lapsed.benchmarking.label is not None:
        return _("last label %(code)s expired on %(day)s, more than a year ago: a first label") % {
            "code": lapsed.benchmarking.label.code,
            "day": date_format(lapsed.terms.valid_until),
        }
    withdrawn = [
        label
        for label in labels
        if label.level == level and label.status == Label.Status.WITHDRAWN and label.valid_from <= benchmarked_on
    ]
    if withdrawn:
        last = max(withdrawn, key=lambda label: label.valid_until)
        return _("last label %(code)s was withdrawn, and a withdrawn label is never renewed: a first label") % {
            "code": last.code
        }
    return _("no earlier label: a first label")


def _derived_from_labels(
    labels, *, level: str, benchmarked_on: datetime.date, waiting: Sequence[Benchmarking] = ()
) -> Derived:
    """A benchmarking on that day by the chronology of the cluster's `labels` of `level` (the
    labels before it keep their terms) and of the `waiting` benchmarkings, if any: no query."""
    candidate = Benchmarking(benchmarked_on, (NOT_RECOMMENDED, 0))
    order = (benchmarked_on, candidate.order)
    chronology = [
        _in_chronology(label, (0, label.pk or 0), fixed_before=order) for label in labels if label.level == level
    ]
    return next(d for d in chronology_terms([*chronology, *waiting, candidate], level) if d.benchmarking is candidate)


def label_terms(*, cluster: Cluster, level: str, benchmarked_on: datetime.date, labels=None) -> LabelTerms:
    """The terms a label for this benchmarking would have (the chronology); LabelError when refused.

    `labels`: the cluster's labels when a screen has them already (the board's cards, the review
    preview): the same chronology is then derived from them alone, with no query; the award
    itself (award_plan) also counts the benchmarkings still waiting for the board."""
    if labels is None:
        return award_plan(cluster=cluster, level=level, benchmarked_on=benchmarked_on).terms
    if level not in RENEWABLE_LEVELS:
        return fixed_terms(level=level, benchmarked_on=benchmarked_on)
    derived = _derived_from_labels(labels, level=level, benchmarked_on=benchmarked_on)
    if derived.terms is None:
        raise LabelError(_already_renewed(cluster, derived.renewed_by))
    return derived.terms
