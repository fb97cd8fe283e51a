"""The writer of a past history in bulk (services/bulk.py says the rules it keeps): it holds
what spans the batches (catalogues, indicators, the code serials) and writes each batch's
clusters, benchmarkings in waves, answers, labels, recommendations, board approvals and Gold
assessments, each record checked by the one-at-a-time services' rule functions first.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.kinds import kind_of
from benchmarking.models import (
    Answer,
    Catalogue,
    ConflictOfInterest,
    GoldAssessment,
    GoldScore,
    Indicator,
    Interview,
    Label,
    LabelRecommendation,
)
from benchmarking.rules.gold import gold_refusals, gold_result
from benchmarking.rules.label_codes import label_code
from benchmarking.rules.label_periods import LabelError
from benchmarking.rules.label_terms import label_terms
from benchmarking.services.board import BoardError, label_recommend
from benchmarking.services.bulk_records import (
    BoardMeeting,
    HistoryBatch,
    HistoryError,
    PastBenchmarking,
    PastGoldAssessment,
    board_meetings_refusal,
    catalogue_in_force,
    history_order_refusal,
    past_benchmarking_refusal,
    past_gold_refusal,
    serials_in_use,
)
from clusters.models import Cluster
from clusters.text import fold
from ecei_site.bulk import insert_rows


class HistoryWriter:
    """Writes batches; keeps what spans them (catalogues, indicators, the code serials)."""

    def __init__(self, *, reviewer, board):
        self.reviewer, self.board = reviewer, board
        self.today = timezone.localdate()
        self.catalogues = list(Catalogue.objects.all())
        self.indicators: dict[int, list[Indicator]] = {}
        self.committed = serials_in_use()
        self.serials = dict(self.committed)
        # What one batch needs: its clusters' labels, their declared conflicts, when its Gold
        # assessments were recorded.
        self.labels: dict[int, list[Label]] = defaultdict(list)
        self.conflicts: set[tuple[int, int]] = set()
        self.recorded_at: dict[int, datetime.datetime] = {}

    def commit(self) -> None:
        self.committed = dict(self.serials)

    def write(self, batch: HistoryBatch) -> list[int]:
        self.serials = dict(self.committed)  # a refused batch's codes are not taken
        existing = sorted({b.cluster.pk for b in batch.benchmarkings if b.cluster.pk is not None})
        self.labels = defaultdict(list)
        for label in Label.objects.filter(cluster_id__in=existing):
            self.labels[label.cluster_id].append(label)
        self.conflicts = set(
            ConflictOfInterest.objects.filter(cluster_id__in=existing).values_list("expert_id", "cluster_id")
        )
        clusters = self._clusters(batch.clusters)
        for wave in _waves(batch.benchmarkings):
            self._benchmarkings(wave)
        self._gold_assessments(batch.gold_assessments)
        touched = {c.pk for c in clusters} | {b.cluster.pk for b in batch.benchmarkings}
        return sorted(touched | {g.cluster.pk for g in batch.gold_assessments})

    def _clusters(self, clusters: list[Cluster]) -> list[Cluster]:
        for cluster in clusters:  # what Cluster.save() keeps, which bulk_create skips
            cluster.name_folded = fold(cluster.name)
            cluster.country_name = str(cluster.country.name or cluster.country.code)
        return Cluster.objects.bulk_create(clusters)

    def _catalogue(self, b: PastBenchmarking) -> Catalogue:
        catalogue = catalogue_in_force(b.date, self.catalogues)
        if catalogue is None:
            raise HistoryError(_("No catalogue was in force on %(date)s.") % {"date": date_format(b.date)})
        if catalogue.pk not in self.indicators:
            self.indicators[catalogue.pk] = list(Indicator.objects.filter(catalogue=catalogue))
        return catalogue

    def _benchmarkings(self, wave: list[PastBenchmarking]) -> None:
        """One benchmarking per cluster: the interviews, their answers, labels and board approvals."""
        interviews = []
        for b in wave:
            refusal = past_benchmarking_refusal(b, reviewer=self.reviewer, conflicts=self.conflicts, today=self.today)
            if refusal:
                raise HistoryError(refusal)
            interviews.append(self._interview(b))
        interviews = Interview.objects.bulk_create(interviews)
        insert_rows(Answer, (row for b, i in zip(wave, interviews, strict=True) for row in self._answers(b, i)))
        awarded = [(b, i) for b, i in zip(wave, interviews, strict=True) if not b.awaits_board]
        labels = Label.objects.bulk_create([self._bronze(b, i) for b, i in awarded])
        self._approvals([(b.meeting, label) for (b, _i), label in zip(awarded, labels, strict=True)])
        for b, interview in zip(wave, interviews, strict=True):
            if b.awaits_board:
                self._recommend(b, interview)

    def _interview(self, b: PastBenchmarking) -> Interview:
        return Interview(
            cluster=b.cluster,
            expert=b.expert,
            catalogue=self._catalogue(b),
            date=b.date,
            mode=b.mode,
            interviewee_name=b.interviewee_name,
            interviewee_role=b.interviewee_role,
            status=Interview.Status.APPROVED,
            submitted_at=b.submitted_at,
            decided_at=b.approved_at,
            decided_by=self.reviewer,
        )

    def _answers(self, b: PastBenchmarking, interview: Interview):
        """Every indicator of the catalogue answered, with a value or a reason (interview_submit's rule)."""
        indicators = self.indicators[interview.catalogue_id]
        missing = [i.code for i in indicators if i.code not in b.values]
        if missing:
            raise HistoryError(
                _("The interview with %(cluster)s on %(date)s has neither a value nor a reason for %(codes)s.")
                % {"cluster": b.cluster, "date": date_format(b.date), "codes": ", ".join(missing)}
            )
        for indicator in indicators:
            value = b.values[indicator.code]
            if value is None:
                reason = b.missing_reasons.get(indicator.code, Answer.MissingReason.UNKNOWN)
                fields = {"missing_reason": reason}
            else:
                fields = kind_of(indicator).answer_fields(value)
            yield {"interview_id": interview.pk, "indicator_id": indicator.pk, **fields}

    def _bronze(self, b: PastBenchmarking, interview: Interview) -> Label:
        awarded_on = b.meeting.decided_on if b.meeting else timezone.localdate(b.approved_at)
        return self._label(b.cluster, Label.Level.BRONZE, b.date, awarded_on, interview=interview)

    def _label(self, cluster, level, day, awarded_on, **evidence) -> Label:
        later = history_order_refusal(self.labels[cluster.pk], level=level, benchmarked_on=day)
        if later:
            raise HistoryError(later)
        try:
            terms = label_terms(cluster=cluster, level=level, benchmarked_on=day, labels=self.labels[cluster.pk])
        except LabelError as exc:
            raise HistoryError(str(exc)) from exc
        alpha3 = cluster.country.alpha3
        self.serials[alpha3] = self.serials.get(alpha3, 0) + 1
        label = Label(
            cluster=cluster,
            level=level,
            code=label_code(country_alpha3=alpha3, serial=self.serials[alpha3], benchmarked_on=day, level=level),
            benchmarked_on=day,
            awarded_on=awarded_on,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            renews=terms.renews,
            source=Label.Source.ASSESSMENT if level == Label.Level.GOLD else Label.Source.INTERVIEW,
            **evidence,
        )
        self.labels[cluster.pk].append(label)
        return label

    def _approvals(self, decided: list[tuple[BoardMeeting | None, Label]]) -> None:
        """The board's recorded approval of each label it decided on (none before the board)."""
        decisions = [(meeting, label, self._recommendation(label)) for meeting, label in decided if meeting]
        refusal = board_meetings_refusal(
            [(meeting, recommendation) for meeting, _l, recommendation in decisions], self.board
        )
        if refusal:
            raise HistoryError(refusal)
        rows = []
        for meeting, label, recommendation in decisions:
            recommended_at = recommendation.recommended_at
            rows.append(
                {
                    "cluster_id": label.cluster_id,
                    "level": label.level,
                    "source": label.source,
                    "benchmarked_on": label.benchmarked_on,
                    "interview_id": label.interview_id,
                    "gold_assessment_id": label.gold_assessment_id,
                    "recommended_by_id": self.reviewer.pk,
                    "recommended_at": recommended_at,
                    "status": LabelRecommendation.Status.APPROVED,
                    "decided_on": meeting.decided_on,
                    "meeting": meeting.name,
                    "decided_by_id": self.board.pk,
                    # the meeting's day, at the recommendation's time of day
                    "decided_at": recommended_at + (meeting.decided_on - recommended_at.date()),
                    "label_id": label.pk,
                }  # fmt: skip
            )
        insert_rows(LabelRecommendation, rows)

    def _recommendation(self, label: Label) -> LabelRecommendation:
        """The recommendation behind `label`, unsaved: what the board's rules are asked about."""
        recorded_at = label.interview.decided_at if label.interview else self.recorded_at[label.gold_assessment_id]
        return LabelRecommendation(
            cluster=label.cluster,
            level=label.level,
            source=label.source,
            benchmarked_on=label.benchmarked_on,
            interview=label.interview,
            gold_assessment=label.gold_assessment,
            recommended_by=self.reviewer,
            recommended_at=recorded_at,
        )

    def _recommend(self, b: PastBenchmarking, interview: Interview) -> None:
        """Left for the board: recommended through the service, dated at the approval."""
        try:
            label_recommend(
                cluster=b.cluster, level=Label.Level.BRONZE, source=Label.Source.INTERVIEW, benchmarked_on=b.date,
                interview=interview, user=self.reviewer, recommended_at=b.approved_at,
            )  # fmt: skip
        except BoardError as exc:
            raise HistoryError(str(exc)) from exc

    def _gold_assessments(self, assessments: list[PastGoldAssessment]) -> None:
        """The assessments with their scores; a label for each passed one (gold_assessment_record's rule)."""
        records, passed = [], []
        for g in assessments:
            refusal = past_gold_refusal(g)
            if refusal:
                raise HistoryError(refusal)
            result = gold_result(g.scores)  # computed from the scores, never given
            reasons = gold_refusals(result)
            if reasons and g.meeting:
                raise HistoryError(" ".join(reasons))
            passed.append(not reasons)
            records.append(
                GoldAssessment(
                    cluster=g.cluster,
                    indicator_set_id=next(iter(g.scores)).indicator_set_id,
                    first_assessor=g.first_assessor,
                    second_assessor=g.second_assessor,
                    assessed_on=g.assessed_on,
                    overall_score=result.shown_score(settings.ECEI_GOLD_MIN_SCORE),
                    passed=result.passed,
                    recorded_by=self.reviewer,
                )
            )
        records = GoldAssessment.objects.bulk_create(records)
        GoldScore.objects.bulk_create(
            GoldScore(assessment=record, indicator=indicator, score=Decimal(score))
            for g, record in zip(assessments, records, strict=True)
            for indicator, score in g.scores.items()
        )
        self.recorded_at = {record.pk: g.recorded_at for g, record in zip(assessments, records, strict=True)}
        earned = [(g, r) for g, r, ok in zip(assessments, records, passed, strict=True) if ok]
        labels = Label.objects.bulk_create(
            self._label(
                g.cluster,
                Label.Level.GOLD,
                g.assessed_on,
                g.meeting.decided_on if g.meeting else g.assessed_on,
                gold_assessment=record,
            )
            for g, record in earned
        )
        self._approvals([(g.meeting, label) for (g, _r), label in zip(earned, labels, strict=True)])


def _waves(benchmarkings: list[PastBenchmarking]) -> list[list[PastBenchmarking]]:
    """The benchmarkings in waves, each cluster at most once in a wave and in its own order: a
    renewal refers to the label of the wave before (bulk_create needs it saved)."""
    waves: list[list[PastBenchmarking]] = []
    seen: dict[int, int] = defaultdict(int)
    for b in benchmarkings:
        n = seen[id(b.cluster)]
        seen[id(b.cluster)] += 1
        if n == len(waves):
            waves.append([])
        waves[n].append(b)
    return waves
