"""Silver (the 18-24 month window, a passed audit, three areas) and Gold (score and thresholds)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.models import GoldAssessment, GoldIndicator, GoldIndicatorSet, Indicator, Label
from benchmarking.selectors.progress import Trend, improved_indicators, indicator_changes
from benchmarking.services.dates import add_months
from benchmarking.services.silver_gold import (
    AuditError,
    active_gold_indicators,
    gold_assessment_record,
    silver_audit_record,
    silver_window_refusal,
)
from tests.factories import ClusterFactory, approved_interview

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    "months, days, qualifies",
    [(18, -1, False), (18, 0, True), (21, 0, True), (24, 0, True), (24, 1, False), (30, 0, False)],
)
def test_the_silver_window(months, days, qualifies):
    first = D(2023, 3, 15)
    second = add_months(first, months) + datetime.timedelta(days=days)
    assert (silver_window_refusal(first, second) is None) is qualifies


def test_the_window_comes_from_settings(settings):
    settings.ECEI_SILVER_MIN_MONTHS, settings.ECEI_SILVER_MAX_MONTHS = 12, 13
    assert silver_window_refusal(D(2023, 1, 1), D(2024, 1, 1)) is None
    assert silver_window_refusal(D(2023, 1, 1), D(2024, 3, 1)) is not None


def two_benchmarkings(months: int):
    cluster = ClusterFactory()
    first = approved_interview(cluster=cluster, date=D(2022, 1, 10), maturity=0.3, seed=1)
    second = approved_interview(cluster=cluster, date=add_months(D(2022, 1, 10), months), maturity=0.9, seed=1)
    return cluster, first, second


def areas(indicators):
    return [(i, f"{i.code} improved with a new action plan") for i in indicators[:3]]


def test_silver_inside_the_window_with_a_passed_audit(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor="A. Auditor", audited_on=D(2023, 10, 1), passed=True,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    label = outcome.label
    assert (label.level, label.source, label.silver_audit) == ("silver", "audit", outcome.record)
    assert (label.valid_from, label.valid_until) == (D(2023, 10, 1), D(2025, 10, 1))
    assert label.code.endswith("202310S")
    assert outcome.record.areas.count() == 3


def test_no_silver_outside_the_window(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(26)
    outcome = silver_audit_record(
        cluster=cluster, auditor="A. Auditor", audited_on=D(2024, 5, 1), passed=True,
        areas=areas(list(catalogue.indicators.all())), user=staff_user,
    )  # fmt: skip
    assert outcome.label is None
    assert "18 to 24 months" in outcome.reasons[0]
    assert outcome.record.pk  # the audit itself is recorded
    assert not Label.objects.exists()


def test_no_silver_without_a_passed_audit(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor="A. Auditor", audited_on=D(2023, 10, 1), passed=False,
        areas=areas(list(catalogue.indicators.all())), user=staff_user,
    )  # fmt: skip
    assert outcome.label is None and outcome.reasons == ["The on-site audit was not passed."]


def test_silver_needs_three_different_areas(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    a4 = catalogue.indicators.get(code="A4")
    with pytest.raises(AuditError, match="3 different"):
        silver_audit_record(
            cluster=cluster, auditor="X", audited_on=D(2023, 10, 1), passed=True,
            areas=[(a4, "a"), (a4, "b"), (a4, "c")], user=staff_user,
        )  # fmt: skip


def gold_scores(default="90", **by_code):
    """A score for every indicator of the active Gold set; `by_code` overrides some."""
    return {i: Decimal(by_code.get(i.code, default)) for i in active_gold_indicators()}


def record_gold(user, scores, **fields):
    return gold_assessment_record(
        cluster=fields.pop("cluster", None) or ClusterFactory(), first_assessor="E. One", second_assessor="E. Two",
        assessed_on=fields.pop("assessed_on", D(2025, 4, 2)), scores=scores, user=user,
    )  # fmt: skip


@pytest.mark.parametrize("score, awarded", [("79", False), ("79.99", False), ("80", True), ("95", True)])
def test_gold_at_79_and_80_percent(reference_data, staff_user, score, awarded):
    outcome = record_gold(staff_user, gold_scores(score))
    assert outcome.record.overall_score == Decimal(score)
    assert (outcome.label is not None) is awarded
    if awarded:
        assert (outcome.label.level, outcome.label.valid_until) == ("gold", D(2027, 4, 2))


def test_the_overall_score_and_passed_are_computed_from_the_scores(reference_data, staff_user):
    """G20 (a written strategy) has a threshold of 80 %: 79 there fails Gold though the mean is high."""
    outcome = record_gold(staff_user, gold_scores("95", G20="79"))
    assessment = outcome.record
    assert assessment.passed is False
    assert assessment.overall_score == Decimal("94.48")  # (30 x 95 + 79) / 31
    assert assessment.scores.count() == 31
    assert outcome.label is None
    assert outcome.reasons == ["Below their threshold: G20 (threshold 80%)."]


def test_thresholds_and_weights_are_data(reference_data, staff_user):
    GoldIndicator.objects.filter(code="G20").update(threshold=75, weight=3)
    outcome = record_gold(staff_user, gold_scores("90", G20="78"))
    assert outcome.record.passed is True
    assert outcome.record.overall_score == Decimal("88.91")  # (30 x 90 + 3 x 78) / 33
    assert outcome.label is not None


@pytest.mark.parametrize(
    "change, message",
    [("drop", "Score every indicator"), ("out_of_range", "between 0 and 100"), ("other_set", "one Gold indicator set")],
)
def test_a_gold_assessment_must_score_each_indicator_of_one_set(reference_data, staff_user, change, message):
    scores = gold_scores()
    if change == "drop":
        scores.pop(next(iter(scores)))
    elif change == "out_of_range":
        scores[next(iter(scores))] = Decimal(101)
    else:
        other = GoldIndicatorSet.objects.create(version="2030", title="Next", published_on=D(2030, 1, 1))
        scores[GoldIndicator.objects.create(indicator_set=other, code="X1", area="X", wording="X", threshold=1)] = 50
    with pytest.raises(AuditError, match=message):
        record_gold(staff_user, scores)
    assert not GoldAssessment.objects.exists()


def test_gold_needs_two_different_assessors(reference_data, staff_user):
    with pytest.raises(AuditError):
        gold_assessment_record(
            cluster=ClusterFactory(), first_assessor="Same", second_assessor="same ", assessed_on=D(2025, 4, 2),
            scores=gold_scores(), user=staff_user,
        )  # fmt: skip


def test_the_gold_form_asks_a_score_per_indicator_and_computes_the_rest(client, reference_data, staff_user):
    cluster = ClusterFactory()
    client.force_login(staff_user)
    url = reverse("benchmarking:gold_assessment_new", args=[cluster.pk])
    form = client.get(url).context["form"]
    assert len([f for f in form.fields if f.startswith("score_")]) == 31
    assert "overall_score" not in form.fields and "passed" not in form.fields
    data = {"first_assessor": "E. One", "second_assessor": "E. Two", "assessed_on": "2025-04-02"}
    data |= {f"score_{i.code}": "88" for i in active_gold_indicators()}
    assert client.post(url, data | {"score_G05": "101"}).status_code == 200
    assert not GoldAssessment.objects.exists()
    assert client.post(url, data).status_code == 302
    assessment = GoldAssessment.objects.get()
    assert (assessment.overall_score, assessment.passed) == (Decimal("88.00"), True)
    assert cluster.labels.get().level == "gold"


def test_without_an_active_gold_set_the_form_says_so(client, reference_data, staff_user):
    GoldIndicatorSet.objects.update(is_active=False)
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:gold_assessment_new", args=[ClusterFactory().pk])).content.decode()
    assert "No Gold indicator set is active" in page


class TestIndicatorChanges:
    def test_direction_decides_improved_or_declined(self, reference_data):
        cluster = ClusterFactory()
        before = approved_interview(cluster=cluster, values={"A4": 40, "B7": 3, "B8": False, "B2": "informed",
                                                              "A1": 2000})  # fmt: skip
        after = approved_interview(cluster=cluster, values={"A4": 60, "B7": 1, "B8": True, "B2": "informed",
                                                             "A1": 2001})  # fmt: skip
        trends = {c.indicator.code: c.trend for c in indicator_changes(before, after)}
        assert trends["A4"] == Trend.IMPROVED  # higher is better, went up
        assert trends["B7"] == Trend.IMPROVED  # lower is better, went down
        assert trends["B8"] == Trend.IMPROVED  # yes beats no
        assert trends["B2"] == Trend.UNCHANGED
        assert trends["A1"] == Trend.CHANGED  # neutral
        assert trends["A6"] == Trend.NOT_COMPARABLE  # shares have no better or worse
        assert len(trends) == Indicator.objects.filter(catalogue=after.catalogue).count()

    def test_a_missing_value_is_not_comparable(self, reference_data):
        cluster = ClusterFactory()
        before = approved_interview(cluster=cluster, values={"A4": 40})
        after = approved_interview(cluster=cluster, values={"A4": 60})
        after.answers.filter(indicator__code="A4").update(number=None, missing_reason="unknown")
        assert {c.indicator.code: c.trend for c in indicator_changes(before, after)}["A4"] == Trend.NOT_COMPARABLE


def test_the_audit_form_proposes_the_improved_indicators(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    response = client.get(reverse("benchmarking:silver_audit_new", args=[cluster.pk]))
    proposed = improved_indicators(first, second)
    assert response.context["candidates"] == proposed
    assert response.context["form"].fields["area1_indicator"].initial == proposed[0].pk


def test_recording_an_audit_through_the_form(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    ids = [i.pk for i in improved_indicators(first, second)[:3]]
    data = {"auditor": "A. Auditor", "audited_on": "2023-10-01", "passed": "yes"}
    for n, pk in enumerate(ids, start=1):
        data |= {f"area{n}_indicator": pk, f"area{n}_description": "Better"}
    client.force_login(staff_user)
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 302
    assert cluster.labels.get().level == "silver"


@pytest.mark.parametrize("audited_on", [D(2021, 6, 1), D(2023, 7, 9)])
def test_an_audit_before_the_second_benchmarking_is_refused(reference_data, staff_user, audited_on):
    """The issue's case: an audit dated before the benchmarkings earned an already expired Silver label."""
    cluster, first, second = two_benchmarkings(18)
    assert second.date == D(2023, 7, 10)
    with pytest.raises(AuditError, match="on or after the latest benchmarking"):
        silver_audit_record(
            cluster=cluster, auditor="A", audited_on=audited_on, passed=True,
            areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip
    assert not cluster.labels.exists() and not cluster.silver_audits.exists()


def test_an_audit_on_the_day_of_the_second_benchmarking_counts(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(18)
    outcome = silver_audit_record(
        cluster=cluster, auditor="A", audited_on=second.date, passed=True,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert outcome.label is not None


def test_an_audit_in_the_future_is_refused_by_the_service(reference_data, staff_user):
    import datetime

    cluster, first, second = two_benchmarkings(18)
    with pytest.raises(AuditError, match="future"):
        silver_audit_record(
            cluster=cluster, auditor="A", audited_on=datetime.date.today() + datetime.timedelta(days=1),
            passed=True, areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip


def test_the_audit_form_shows_the_date_rule_next_to_the_field(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    data = {"auditor": "A. Auditor", "audited_on": "2021-01-01", "passed": "yes"}
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert "on or after the latest benchmarking" in response.context["form"].errors["audited_on"][0]
    assert not cluster.silver_audits.exists()
