"""The records a bulk write of a past history takes (services/bulk.py), and the rules each one is
checked against there: the one-at-a-time services' rule functions, asked of records in memory."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.models import Catalogue, Expert, GoldIndicator, Label, LabelRecommendation
from benchmarking.rules.board import board_decision_refusals
from benchmarking.rules.gold import gold_assessors_refusal, gold_scores_refusal
from benchmarking.rules.label_codes import label_code_serial
from benchmarking.rules.people import accreditation_refusal
from clusters.models import Cluster


class HistoryError(Exception):
    """A record of the history that the rules do not allow; the message says why."""


@dataclass(frozen=True)
class BoardMeeting:
    """The board's approval of a recommendation: the meeting's day and name."""

    decided_on: datetime.date
    name: str


@dataclass(frozen=True)
class PastBenchmarking:
    """An interview submitted and approved in the past, with its answers by indicator code
    (None: no value, for the reason in `missing_reasons`, "unknown" unless named).

    Its Bronze label: approved by the board at `meeting`; or, with `awaits_board`, recommended
    and left for the board to decide (services/board.py); or else awarded by the approval
    itself, as before the board existed."""

    cluster: Cluster
    expert: Expert
    date: datetime.date
    mode: str
    interviewee_name: str
    interviewee_role: str
    submitted_at: datetime.datetime
    approved_at: datetime.datetime
    values: Mapping[str, object]
    missing_reasons: Mapping[str, str] = field(default_factory=dict)
    meeting: BoardMeeting | None = None
    awaits_board: bool = False


@dataclass(frozen=True)
class PastGoldAssessment:
    """A Gold assessment recorded (and its label recommended) at `recorded_at`. Its overall score
    and result are computed from `scores`. A passed one earns Gold: approved by the board at
    `meeting`, or, without one, awarded on the assessment day as before the board existed. A
    failed one is recorded without a label; the board cannot have approved it."""

    cluster: Cluster
    first_assessor: Expert
    second_assessor: Expert
    assessed_on: datetime.date
    scores: Mapping[GoldIndicator, Decimal]
    recorded_at: datetime.datetime
    meeting: BoardMeeting | None = None


@dataclass
class HistoryBatch:
    """What one transaction writes: new clusters (unsaved), then benchmarkings in the order
    they happened for each cluster, then Gold assessments."""

    clusters: list[Cluster] = field(default_factory=list)
    benchmarkings: list[PastBenchmarking] = field(default_factory=list)
    gold_assessments: list[PastGoldAssessment] = field(default_factory=list)


# --- The rules, record by record --------------------------------------------------------------


def catalogue_in_force(day: datetime.date, catalogues: Sequence[Catalogue]) -> Catalogue | None:
    """The catalogue an interview on `day` used: the latest active one published by then."""
    published = [c for c in catalogues if c.is_active and c.published_on <= day]
    return max(published, key=lambda c: (c.published_on, c.pk), default=None)


def serials_in_use() -> dict[str, int]:
    """The highest serial of each country's codes (rules/label_codes.next_label_serial, for all
    countries in one query)."""
    serials: dict[str, int] = {}
    for country, serial in filter(None, map(label_code_serial, Label.objects.values_list("code", flat=True))):
        serials[country] = max(serials.get(country, 0), serial)
    return serials


def past_benchmarking_refusal(b: PastBenchmarking, *, reviewer, conflicts: set, today: datetime.date) -> str | None:
    refusal = accreditation_refusal(expert=b.expert, day=b.date)
    if refusal:
        return refusal
    if (b.expert.pk, b.cluster.pk) in conflicts:
        return _("%(expert)s declared a conflict of interest with %(cluster)s.") % {
            "expert": b.expert,
            "cluster": b.cluster,
        }
    if b.expert.user_id == reviewer.pk:
        return _("%(reviewer)s conducted the interview with %(cluster)s and cannot approve it (four eyes).") % {
            "reviewer": reviewer,
            "cluster": b.cluster,
        }
    approved_on = timezone.localdate(b.approved_at)
    if not b.date <= timezone.localdate(b.submitted_at) <= approved_on <= today:
        return _(
            "The interview with %(cluster)s on %(date)s must be submitted and approved after it took place "
            "and not in the future."
        ) % {"cluster": b.cluster, "date": date_format(b.date)}
    return None


def board_meetings_refusal(decided: Sequence[tuple[BoardMeeting, LabelRecommendation]], board) -> str | None:
    """The first refusal among the board's decisions (in their order), or None: the meeting's date,
    then the board's rules (rules/board), asked once for every decision of the batch. One at a
    time that was three queries a label (the conflicts, who decided on the interview, who commented
    on it): on PostgreSQL, 20 of the 50 s of seed_demo's history at 1,000 clusters (issue 30)."""
    today = timezone.localdate()
    for meeting, recommendation in decided:
        recommended_on = timezone.localdate(recommendation.recommended_at)
        if meeting.decided_on < recommended_on:
            return _("The board cannot decide before the recommendation (%(day)s).") % {
                "day": f"{recommended_on:%d %b %Y}"
            }
        if meeting.decided_on > today:
            return _("The decision date cannot be in the future.")
    # The recommendations are unsaved (their rows are inserted in bulk after): the rules key their
    # answers by primary key, so each gets a stand-in one, never saved.
    recommendations = [recommendation for _meeting, recommendation in decided]
    if not recommendations:
        return None
    for n, recommendation in enumerate(recommendations, start=1):
        if recommendation.pk is None:
            recommendation.pk = -n
    refusals = board_decision_refusals(user=board, recommendations=recommendations)
    return next((refusals[r.pk] for r in recommendations if r.pk in refusals), None)


def past_gold_refusal(g: PastGoldAssessment) -> str | None:
    if g.assessed_on > timezone.localdate():
        return _("The assessment date cannot be in the future.")
    return gold_assessors_refusal(
        first=g.first_assessor, second=g.second_assessor, cluster=g.cluster, day=g.assessed_on
    ) or gold_scores_refusal(g.scores)


def history_order_refusal(labels, *, level: str, benchmarked_on) -> str | None:
    """A past history is written oldest first: the one-at-a-time award re-bases the later labels
    on an earlier benchmarking awarded after them (services/labels.label_chronology_rebase); a
    bulk write does not, so a label benchmarked after this day must not be written yet."""
    later = [label for label in labels if label.level == level and label.benchmarked_on > benchmarked_on]
    if not later:
        return None
    first = min(later, key=lambda label: label.benchmarked_on)
    return _(
        "A past history is written oldest first: label %(code)s, benchmarked on %(later)s, is written "
        "already, before this benchmarking of %(day)s."
    ) % {"code": first.code, "later": date_format(first.benchmarked_on), "day": date_format(benchmarked_on)}
