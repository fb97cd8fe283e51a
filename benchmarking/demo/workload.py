"""The demo accounts' own work, through the services the site's pages use: interviews in
progress (a draft, one returned, two submitted), Silver audits, the board's recent meeting
and its waiting recommendations, a conflict of interest and a managed cluster."""

import datetime
import random

from django.db.models import Max, Q

from benchmarking.demo.calendar import board_meeting, noon
from benchmarking.demo.values import MISSING_REASONS, answer_fields, plausible_values
from benchmarking.kinds import EMPTY_VALUE, kind_of
from benchmarking.models import ConflictOfInterest, Expert, Indicator, Interview, Label, LabelRecommendation
from benchmarking.rules.board import Decision
from benchmarking.rules.label_terms import renewal_refusal
from benchmarking.rules.silver import (
    Finding,
    active_baseline_requirements,
    last_two_benchmarkings,
    silver_audit_auditor_refusal,
    silver_window_refusal,
)
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.board import board_decide, board_decide_one
from benchmarking.services.bulk import history_record
from benchmarking.services.bulk_records import HistoryBatch, PastBenchmarking
from benchmarking.services.eligibility import eligibility_facts_record
from benchmarking.services.interview_start import interview_start
from benchmarking.services.interviews import interview_save_step, interview_submit
from benchmarking.services.review import interview_return
from benchmarking.services.silver_gold import silver_audit_record
from clusters.models import Cluster

SILVER_REPORT = (
    "A half-day audit at the cluster office with the cluster manager and two board members. The strategy "
    "and its action plan are in place and monitored; the services are well used by the SMEs."
)
SILVER_RECOMMENDATIONS = [
    "Publish the yearly monitoring of the action plan to all participants.",
    "Add indicators on the digital and green transition to the strategy.",
    "Involve the research institutes more in the working groups.",
]
RETURN_COMMENT = "Please check the staff figures: the FTE looks high for the headcount."
# The columns of an answer the expert leaves as they are (interview_save_step writes them all).
BLANK_ANSWER = {**EMPTY_VALUE, "missing_reason": "", "comment": "", "accepted_warnings": []}


class DemoWorkload:
    def __init__(self, rng: random.Random, *, accounts: dict, today: datetime.date, indicators: dict):
        self.rng, self.accounts, self.today, self.indicators = rng, accounts, today, indicators
        self.secretariat, self.board = accounts["secretariat"], accounts["board"]

    def make(self) -> None:
        """Work in progress for the demo experts, a cluster for the manager, a conflict of interest."""
        recent = self.today - datetime.timedelta(days=3)
        # Clusters on which an interview may start in the last weeks (none renewed ahead of it).
        earliest = recent - datetime.timedelta(days=20)
        synthetic = [
            c
            for c in Cluster.objects.exclude(country="MX").order_by("pk")[:80]
            if renewal_refusal(cluster=c, benchmarked_on=earliest) is None
        ][:6]
        if len(synthetic) < 6:
            return
        expert, expert2 = self.accounts["expert"], self.accounts["expert2"]
        for cluster in synthetic:
            # The eligibility facts the secretariat records, so the demo's interviews can be approved;
            # the submitted one (synthetic[2]) lacks the English website check: the review page asks for it.
            self.record_eligibility(cluster, website_checked=cluster != synthetic[2])
        self.interview(expert, synthetic[0], recent, only_categories={"A", "B"})
        returned = self.interview(expert, synthetic[1], recent - datetime.timedelta(days=20), submit=True)
        self.interview(expert2, synthetic[2], recent - datetime.timedelta(days=10), submit=True)
        self.interview(expert, synthetic[3], recent - datetime.timedelta(days=12), submit=True)
        interview_return(interview=returned, user=self.secretariat, comment=RETURN_COMMENT)
        ConflictOfInterest.objects.get_or_create(
            expert=expert, cluster=synthetic[4], defaults={"reason": "Former employee of the cluster management."}
        )
        managed = (
            Cluster.objects.filter(
                labels__level=Label.Level.BRONZE, labels__source=Label.Source.INTERVIEW, labels__renews__isnull=False
            )
            .order_by("pk")
            .first()
            or synthetic[5]
        )
        managed.managers.add(self.accounts["manager"])
        self.silver_audits()
        self.board_work(exclude={c.pk for c in synthetic})

    def interview(self, expert, cluster, day, *, submit=False, only_categories=None) -> Interview:
        """An interview started, answered and (if `submit`) submitted by its expert."""
        user = expert.user
        interview = interview_start(
            expert=expert, cluster=cluster, date=day, mode=Interview.Mode.VIDEO,
            interviewee_name="Chris Cluster", interviewee_role="Cluster manager", user=user,
        )  # fmt: skip
        values = plausible_values(self.rng, interview_date=day, maturity=0.6)
        answers = {
            indicator: {**BLANK_ANSWER, **answer_fields(indicator, values[indicator.code])}
            for indicator in self.indicators[interview.catalogue_id]
            if only_categories is None or indicator.category.code in only_categories
        }
        interview_save_step(interview=interview, expected_version=interview.version, values=answers, user=user)
        if submit:
            interview_submit(interview=interview, expected_version=interview.version, user=user)
        return interview

    def record_eligibility(self, cluster, *, website_checked=True, waiver="") -> Cluster:
        """The facts recorded; the cluster as it now stands (the rules judge its new columns)."""
        return eligibility_facts_record(
            cluster=cluster,
            user=self.secretariat,
            expected_updated_at=None,
            eccp_profile_url="" if waiver else f"https://clustercollaboration.example.eu/{cluster.slug}",
            eccp_validated_on=None if waiver else self.today - datetime.timedelta(days=400),
            eligibility_waiver=waiver,
            eligibility_waiver_note=f"Recognised by the cluster programme of the {cluster.region}." if waiver else "",
            english_website_checked_on=self.today - datetime.timedelta(days=90) if website_checked else None,
            public_collaboration="Joint projects with the regional government, listed on the website.",
        )

    def silver_audits(self):
        """Two Silver audits: one with every baseline requirement met (Silver awarded by the board),
        one with a requirement not met (recorded, no label), each with its report."""
        requirements = active_baseline_requirements()
        audited = 0
        recent_first = Cluster.objects.filter(silver_audits__isnull=True).annotate(
            latest=Max("interviews__date", filter=Q(interviews__status=Interview.Status.APPROVED))
        )
        for cluster in recent_first.filter(latest__isnull=False).order_by("-latest", "pk"):
            previous, latest = last_two_benchmarkings(cluster)
            if audited == 2 or not requirements:
                break
            if not previous or silver_window_refusal(previous.date, latest.date):
                continue
            audited_on = min(latest.date + datetime.timedelta(days=45), self.today)
            if not cluster.labels.filter(level=Label.Level.BRONZE, valid_until__gte=audited_on).exists():
                continue
            self.record_eligibility(cluster)  # Silver needs eligibility too
            unmet = {"R11"} if audited else set()
            auditor = next(
                (
                    expert
                    for expert in Expert.objects.select_related("user").order_by("pk")
                    if silver_audit_auditor_refusal(cluster=cluster, auditor=expert, audited_on=audited_on) is None
                ),
                None,
            )
            if auditor is None:
                continue
            outcome = silver_audit_record(
                cluster=cluster,
                auditor=auditor,
                audited_on=audited_on,
                findings=[
                    Finding(r, r.code not in unmet, "No satisfaction survey since 2021." if r.code in unmet else "")
                    for r in requirements
                ],
                report=SILVER_REPORT,
                recommendations=SILVER_RECOMMENDATIONS,
                areas=[
                    (i, "Clearly better than at the previous benchmarking; part of the action plan.")
                    for i in self.improvement_areas(previous, latest)
                ],
                user=self.secretariat,
                recorded_at=noon(audited_on),  # recommended then: the board met after it
            )
            if outcome.recommendation:
                meeting = board_meeting(audited_on, self.today)
                board_decide_one(
                    recommendation=outcome.recommendation, approve=True, decided_on=meeting.decided_on,
                    meeting=meeting.name, user=self.board,
                )  # fmt: skip
            audited += 1

    def improvement_areas(self, previous, latest) -> list[Indicator]:
        """Three indicators to document: those improved since the previous benchmarking first."""
        improved = improved_indicators(previous, latest)
        others = [i for i in self.indicators[latest.catalogue_id] if not kind_of(i).has_parts and i not in improved]
        return (improved + others)[:3]

    def board_work(self, *, exclude: set[int]):
        """Recommendations for the EUCLES board: a batch it decided last meeting (one approved, one
        declined) and four waiting on the board's screen, one of them on a waiver."""
        day = self.today - datetime.timedelta(days=75)
        candidates = [c for c in Cluster.objects.exclude(country="MX").order_by("pk")[:80] if c.pk not in exclude]
        # Clusters whose benchmarkings all came before this one, and which it may renew.
        clusters = [
            c
            for c in candidates
            if not c.labels.filter(benchmarked_on__gte=day).exists()
            and renewal_refusal(cluster=c, benchmarked_on=day) is None
        ][:6]
        approved_at = noon(day + datetime.timedelta(days=10))
        benchmarkings = []
        for n, cluster in enumerate(clusters):
            eligible = self.record_eligibility(cluster, waiver="regional_programme" if n == 5 else "")
            expert = self.rng.choice([self.accounts["expert"], self.accounts["expert2"]])
            benchmarkings.append(
                PastBenchmarking(
                    cluster=eligible,
                    expert=expert,
                    date=day,
                    mode=Interview.Mode.VIDEO,
                    interviewee_name="Chris Cluster",
                    interviewee_role="Cluster manager",
                    submitted_at=approved_at - datetime.timedelta(days=5),
                    approved_at=approved_at,
                    values=plausible_values(self.rng, interview_date=day, maturity=0.6),
                    missing_reasons=MISSING_REASONS,
                    awaits_board=True,
                )  # fmt: skip
            )
        history_record(batches=[HistoryBatch(benchmarkings=benchmarkings)], reviewer=self.secretariat, board=self.board)
        recommendations = list(
            LabelRecommendation.objects.filter(interview__cluster__in=clusters, interview__date=day).order_by("pk")
        )
        if len(recommendations) < 2:
            return
        meeting = board_meeting(approved_at.date(), self.today)
        board_decide(
            decisions=[
                Decision(recommendations[0], True),
                Decision(recommendations[1], False, "The ECCP profile shows no activity in the last two years."),
            ],
            decided_on=meeting.decided_on,
            meeting=meeting.name,
            user=self.board,
        )
