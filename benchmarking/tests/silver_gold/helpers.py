"""Benchmarkings, findings and scores for the Silver and Gold tests."""

import datetime
from decimal import Decimal

from benchmarking.rules.dates import add_months
from benchmarking.rules.gold import active_gold_indicators
from benchmarking.rules.silver import Finding, active_baseline_requirements
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import gold_assessment_record, silver_audit_record
from tests.factories import ClusterFactory, ExpertFactory, approved_interview

D = datetime.date


def two_benchmarkings(months: int):
    cluster = ClusterFactory(eligible=True)
    first = approved_interview(cluster=cluster, date=D(2022, 1, 10), maturity=0.3, seed=1)
    second = approved_interview(cluster=cluster, date=add_months(D(2022, 1, 10), months), maturity=0.9, seed=1)
    return cluster, first, second


def areas(indicators):
    return [(i, f"{i.code} improved with a new action plan") for i in indicators[:3]]


def findings(*unmet: str) -> list[Finding]:
    """A finding on every baseline requirement: met, except the codes in `unmet`."""
    return [
        Finding(r, r.code not in unmet, "Not shown on site." if r.code in unmet else "")
        for r in active_baseline_requirements()
    ]


REPORT = {"report": "A well-run cluster with a clear strategy.", "recommendations": ["Measure satisfaction yearly."]}


def gold_scores(default="90", **by_code):
    """A score for every indicator of the active Gold set; `by_code` overrides some."""
    return {i: Decimal(by_code.get(i.code, default)) for i in active_gold_indicators()}


def eligible_cluster():
    """Gold, like Bronze and Silver, needs eligibility, judged on the latest approved interview."""
    return approved_interview(cluster__eligible=True, date=D(2025, 1, 10)).cluster


def record_gold(user, scores, **fields):
    return gold_assessment_record(
        cluster=fields.pop("cluster", None) or eligible_cluster(),
        first_assessor=fields.pop("first_assessor", None) or ExpertFactory(),
        second_assessor=fields.pop("second_assessor", None) or ExpertFactory(),
        assessed_on=fields.pop("assessed_on", D(2025, 4, 2)), scores=scores, user=user,
    )  # fmt: skip


def audit_form_data(first, second, *, unmet=()) -> dict:
    ids = [i.pk for i in improved_indicators(first, second)[:3]]
    data = {"auditor": ExpertFactory().pk, "audited_on": "2023-10-01", "report": "A short report.",
            "recommendation1": "Publish the action plan.", "recommendation2": "Survey the members yearly."}  # fmt: skip
    for requirement in active_baseline_requirements():
        met = requirement.code not in unmet
        data |= {f"met_{requirement.code}": "yes" if met else "no", f"note_{requirement.code}": "" if met else "No"}
    for n, pk in enumerate(ids, start=1):
        data |= {f"area{n}_indicator": pk, f"area{n}_description": "Better"}
    return data


def silver_on(cluster, first, second, day, user):
    return silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=day, findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=user,
    )  # fmt: skip
