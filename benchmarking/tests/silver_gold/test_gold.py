"""Gold (rules/gold.py, services/silver_gold.gold_assessment_record): the scores, thresholds and assessors."""

from decimal import Decimal

import pytest

from benchmarking.models import (
    ConflictOfInterest,
    GoldAssessment,
    GoldIndicator,
    GoldIndicatorSet,
)
from benchmarking.rules.gold import gold_result
from benchmarking.services.silver_gold import AuditError
from benchmarking.tests.silver_gold.helpers import D, gold_scores, record_gold
from tests.factories import ClusterFactory, ExpertFactory, board_approves

pytestmark = pytest.mark.django_db


def test_no_gold_for_an_ineligible_cluster(reference_data, staff_user):
    outcome = record_gold(staff_user, gold_scores("95"), cluster=ClusterFactory())
    assert outcome.recommendation is None and outcome.record.pk
    assert "eligibility" in outcome.reasons[0]


@pytest.mark.parametrize("score, awarded", [("79", False), ("79.99", False), ("80", True), ("95", True)])
def test_gold_at_79_and_80_percent(reference_data, staff_user, score, awarded):
    outcome = record_gold(staff_user, gold_scores(score))
    assert outcome.record.overall_score == Decimal(score)
    assert (outcome.recommendation is not None) is awarded
    if awarded:
        label = board_approves(outcome.recommendation)
        assert (label.level, label.valid_until) == ("gold", D(2027, 4, 2))


def test_gold_at_79_995_percent_is_refused(reference_data, staff_user):
    """Thirty scores of 80 and one of 79.85: the mean is 79.9951..., below 80 unrounded (it once
    rounded to 80.00 first and passed). It is recorded and shown as 79.99, never as 80.00."""
    outcome = record_gold(staff_user, gold_scores("80", G01="79.85"))
    assert outcome.recommendation is None
    assert outcome.record.overall_score == Decimal("79.99")
    assert outcome.reasons == ["The overall score 79.99% is below 80%."]


@pytest.mark.parametrize(
    "scores, reaches, shown",
    [
        (["80"] * 30 + ["79.85"], False, "79.99"),  # 79.9951...
        (["80"] * 31, True, "80.00"),  # exactly the minimum
        (["80"] * 30 + ["80.15"], True, "80.00"),  # 80.0048...: rounded half up, it reaches
        (["79.99"] * 3, False, "79.99"),
        (["90", "70", "80.01"], True, "80.00"),  # 80.0033...
        (["80.005"] * 2, True, "80.01"),  # half up
    ],
)
def test_the_overall_score_is_compared_unrounded_and_rounded_only_for_display(scores, reaches, shown):
    indicators = [GoldIndicator(pk=n, code=f"G{n:02d}", threshold=0, weight=Decimal(1)) for n in range(len(scores))]
    result = gold_result({i: Decimal(score) for i, score in zip(indicators, scores, strict=True)})
    assert result.reaches(80) is reaches
    assert result.shown_score(80) == Decimal(shown)


def test_weights_count_in_the_unrounded_comparison():
    heavy = GoldIndicator(pk=1, code="G01", threshold=0, weight=Decimal(2))
    light = GoldIndicator(pk=2, code="G02", threshold=0, weight=Decimal(1))
    assert gold_result({heavy: Decimal("80"), light: Decimal("79.99")}).reaches(80) is False  # 79.9966...
    assert gold_result({heavy: Decimal("80.005"), light: Decimal("79.99")}).reaches(80) is True  # exactly 80


def test_the_overall_score_and_passed_are_computed_from_the_scores(reference_data, staff_user):
    """G20 (a written strategy) has a threshold of 80 %: 79 there fails Gold though the mean is high."""
    outcome = record_gold(staff_user, gold_scores("95", G20="79"))
    assessment = outcome.record
    assert assessment.passed is False
    assert assessment.overall_score == Decimal("94.48")  # (30 x 95 + 79) / 31
    assert assessment.scores.count() == 31
    assert outcome.recommendation is None
    assert outcome.reasons == ["Below their threshold: G20 (80%)."]


def test_thresholds_and_weights_are_data(reference_data, staff_user):
    GoldIndicator.objects.filter(code="G20").update(threshold=75, weight=3)
    outcome = record_gold(staff_user, gold_scores("90", G20="78"))
    assert outcome.record.passed is True
    assert outcome.record.overall_score == Decimal("88.91")  # (30 x 90 + 3 x 78) / 33
    assert outcome.recommendation is not None


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
    same = ExpertFactory()
    with pytest.raises(AuditError, match="two different assessors"):
        record_gold(staff_user, gold_scores(), first_assessor=same, second_assessor=same)
    assert not GoldAssessment.objects.exists()


@pytest.mark.parametrize("ends, accepted", [(D(2025, 4, 1), False), (D(2025, 4, 2), True)])
def test_an_assessor_is_accredited_on_the_assessment_day(reference_data, staff_user, ends, accepted):
    """Accreditation ending the day before the assessment refuses; ending on the day is enough."""
    lapsing = ExpertFactory(accredited_from=D(2020, 1, 1), accredited_until=ends)
    if accepted:
        assert record_gold(staff_user, gold_scores(), second_assessor=lapsing).record.second_assessor == lapsing
    else:
        with pytest.raises(AuditError, match="does not cover 2 April 2025"):
            record_gold(staff_user, gold_scores(), second_assessor=lapsing)
        assert not GoldAssessment.objects.exists()


def test_an_assessor_starts_being_accredited_on_the_day(reference_data, staff_user):
    starting = ExpertFactory(accredited_from=D(2025, 4, 3), accredited_until=D(2028, 1, 1))
    with pytest.raises(AuditError, match="does not cover"):
        record_gold(staff_user, gold_scores(), first_assessor=starting)


def test_an_assessor_with_a_conflict_of_interest_is_refused(reference_data, staff_user):
    cluster, conflicted = ClusterFactory(), ExpertFactory()
    ConflictOfInterest.objects.create(expert=conflicted, cluster=cluster, reason="Board member")
    with pytest.raises(AuditError, match="conflict of interest"):
        record_gold(staff_user, gold_scores(), cluster=cluster, first_assessor=conflicted)
    assert record_gold(staff_user, gold_scores(), first_assessor=conflicted).record.pk  # another cluster


def test_the_database_refuses_the_same_assessor_twice(reference_data, staff_user):
    from django.db import IntegrityError, transaction

    assessment = record_gold(staff_user, gold_scores()).record
    with pytest.raises(IntegrityError), transaction.atomic():
        GoldAssessment.objects.filter(pk=assessment.pk).update(second_assessor=assessment.first_assessor)


@pytest.mark.parametrize("score, awarded", [("69.99", False), ("70", True)])
def test_a_score_at_its_threshold_reaches_it(reference_data, staff_user, score, awarded):
    """G01's threshold is 70 %: exactly 70 reaches it (the overall score stays above 80)."""
    outcome = record_gold(staff_user, gold_scores("95", G01=score))
    assert outcome.record.passed is awarded
    assert (outcome.recommendation is not None) is awarded


@pytest.mark.parametrize("score, awarded", [("72.49", False), ("72.5", True), ("72.50", True)])
def test_a_fractional_threshold_met_exactly_is_reached(reference_data, staff_user, score, awarded):
    GoldIndicator.objects.filter(code="G01").update(threshold=Decimal("72.50"))
    outcome = record_gold(staff_user, gold_scores("95", G01=score))
    assert outcome.record.passed is awarded
    assert (outcome.recommendation is not None) is awarded
