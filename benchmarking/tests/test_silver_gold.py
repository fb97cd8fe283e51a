"""Silver (the 18-24 month window, the baseline minimum requirements, the audit report, three areas)
and Gold (two accredited expert assessors, score and thresholds)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.models import (
    BaselineRequirement,
    ConflictOfInterest,
    GoldAssessment,
    GoldIndicator,
    GoldIndicatorSet,
    Indicator,
    Label,
    SilverAudit,
)
from benchmarking.rules.dates import add_months
from benchmarking.rules.gold import active_gold_indicators, gold_result
from benchmarking.rules.silver import Finding, active_baseline_requirements, silver_window_refusal
from benchmarking.selectors.progress import Trend, improved_indicators, indicator_changes
from benchmarking.services.silver_gold import AuditError, gold_assessment_record, silver_audit_record
from tests.factories import ClusterFactory, ExpertFactory, approved_interview, board_approves

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


def test_silver_inside_the_window_with_a_passed_audit(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation.history.get().history_user == staff_user
    label = board_approves(outcome.recommendation)
    assert (label.level, label.source, label.silver_audit) == ("silver", "audit", outcome.record)
    assert (label.valid_from, label.valid_until) == (D(2023, 10, 1), D(2025, 10, 1))
    assert label.code.endswith("202310S")
    assert outcome.record.areas.count() == 3


def test_no_silver_outside_the_window(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(26)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2024, 5, 1), findings=findings(), **REPORT,
        areas=areas(list(catalogue.indicators.all())), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation is None
    assert "18 to 24 months" in outcome.reasons[0]
    assert outcome.record.pk  # the audit itself is recorded
    assert not Label.objects.exists()


def test_one_unmet_baseline_requirement_blocks_silver(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings("R05"), **REPORT,
        areas=areas(list(catalogue.indicators.all())), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation is None
    assert outcome.reasons == ["A baseline minimum requirement is not met: R05."]
    assert outcome.record.passed is False


def test_silver_needs_three_different_areas(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    a4 = catalogue.indicators.get(code="A4")
    with pytest.raises(AuditError, match="3 different"):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings(), **REPORT,
            areas=[(a4, "a"), (a4, "b"), (a4, "c")], user=staff_user,
        )  # fmt: skip


def gold_scores(default="90", **by_code):
    """A score for every indicator of the active Gold set; `by_code` overrides some."""
    return {i: Decimal(by_code.get(i.code, default)) for i in active_gold_indicators()}


def eligible_cluster():
    """Gold, like Bronze and Silver, needs eligibility, judged on the latest approved interview."""
    return approved_interview(cluster__eligible=True, date=D(2025, 1, 10)).cluster


def test_no_gold_for_an_ineligible_cluster(reference_data, staff_user):
    outcome = record_gold(staff_user, gold_scores("95"), cluster=ClusterFactory())
    assert outcome.recommendation is None and outcome.record.pk
    assert "eligibility" in outcome.reasons[0]


def record_gold(user, scores, **fields):
    return gold_assessment_record(
        cluster=fields.pop("cluster", None) or eligible_cluster(),
        first_assessor=fields.pop("first_assessor", None) or ExpertFactory(),
        second_assessor=fields.pop("second_assessor", None) or ExpertFactory(),
        assessed_on=fields.pop("assessed_on", D(2025, 4, 2)), scores=scores, user=user,
    )  # fmt: skip


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


def test_the_gold_form_asks_a_score_per_indicator_and_computes_the_rest(client, reference_data, staff_user):
    cluster = eligible_cluster()
    client.force_login(staff_user)
    url = reverse("benchmarking:gold_assessment_new", args=[cluster.pk])
    form = client.get(url).context["form"]
    assert len([f for f in form.fields if f.startswith("score_")]) == 31
    assert "overall_score" not in form.fields and "passed" not in form.fields
    first, second = ExpertFactory(), ExpertFactory()
    data = {"first_assessor": first.pk, "second_assessor": second.pk, "assessed_on": "2025-04-02"}
    data |= {f"score_{i.code}": "88" for i in active_gold_indicators()}
    assert client.post(url, data | {"score_G05": "101"}).status_code == 200
    assert not GoldAssessment.objects.exists()
    assert client.post(url, data).status_code == 302
    assessment = GoldAssessment.objects.get()
    assert (assessment.overall_score, assessment.passed) == (Decimal("88.00"), True)
    assert (assessment.first_assessor, assessment.second_assessor) == (first, second)
    assert not cluster.labels.exists()  # recommended: the board awards it
    assert board_approves(cluster.label_recommendations.get()).level == "gold"


@pytest.mark.parametrize("problem", ["same", "lapsed", "conflicted", "unknown"])
def test_the_gold_form_names_the_assessor_problem_next_to_the_field(client, reference_data, staff_user, problem):
    cluster, first, second = ClusterFactory(), ExpertFactory(), ExpertFactory()
    data = {"first_assessor": first.pk, "second_assessor": second.pk, "assessed_on": "2025-04-02"}
    data |= {f"score_{i.code}": "88" for i in active_gold_indicators()}
    expected = {
        "same": "must be different experts",
        "lapsed": "does not cover",
        "conflicted": "conflict of interest",
        "unknown": "Select a valid choice",
    }[problem]
    if problem == "same":
        data["second_assessor"] = first.pk
    elif problem == "lapsed":
        second.accredited_until = D(2025, 4, 1)
        second.save()
    elif problem == "conflicted":
        ConflictOfInterest.objects.create(expert=second, cluster=cluster, reason="Former employee")
    else:
        data["second_assessor"] = 999999
    client.force_login(staff_user)
    response = client.post(reverse("benchmarking:gold_assessment_new", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert expected in response.context["form"].errors["second_assessor"][0]
    assert not GoldAssessment.objects.exists()


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


def test_recording_an_audit_through_the_form(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), audit_form_data(first, second))
    assert response.status_code == 302
    assert board_approves(cluster.label_recommendations.get()).level == "silver"
    audit = SilverAudit.objects.get()
    assert audit.checks.count() == BaselineRequirement.objects.count() == 12
    assert list(audit.recommendations.values_list("text", flat=True)) == [
        "Publish the action plan.",
        "Survey the members yearly.",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Survey the members yearly." in page and "A short report." in page


def test_the_audit_form_refuses_an_unmet_requirement_without_a_note(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    data = audit_form_data(first, second, unmet=["R03"]) | {"note_R03": " "}
    client.force_login(staff_user)
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["note_R03"] == ["Say why the requirement is not met."]
    assert not SilverAudit.objects.exists()


def test_the_audit_form_records_an_unmet_requirement_and_says_why_no_label(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    url = reverse("benchmarking:silver_audit_new", args=[cluster.pk])
    response = client.post(url, audit_form_data(first, second, unmet=["R12"]), follow=True)
    assert "A baseline minimum requirement is not met: R12." in response.content.decode()
    assert SilverAudit.objects.get().passed is False and not cluster.labels.exists()


def test_the_audit_form_needs_a_recommendation(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    data = audit_form_data(first, second) | {"recommendation1": "", "recommendation2": ""}
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert "recommendation1" in response.context["form"].errors
    assert not SilverAudit.objects.exists()


@pytest.mark.parametrize("audited_on", [D(2021, 6, 1), D(2023, 7, 9)])
def test_an_audit_before_the_second_benchmarking_is_refused(reference_data, staff_user, audited_on):
    """The issue's case: an audit dated before the benchmarkings earned an already expired Silver label."""
    cluster, first, second = two_benchmarkings(18)
    assert second.date == D(2023, 7, 10)
    with pytest.raises(AuditError, match="on or after the latest benchmarking"):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=audited_on, findings=findings(), **REPORT,
            areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip
    assert not cluster.labels.exists() and not cluster.silver_audits.exists()


def test_an_audit_on_the_day_of_the_second_benchmarking_counts(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(18)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=second.date, findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation is not None


def test_an_audit_in_the_future_is_refused_by_the_service(reference_data, staff_user):
    import datetime

    cluster, first, second = two_benchmarkings(18)
    with pytest.raises(AuditError, match="future"):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=datetime.date.today() + datetime.timedelta(days=1),
            findings=findings(), **REPORT, areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip


def test_the_audit_form_shows_the_date_rule_next_to_the_field(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    data = audit_form_data(first, second) | {"audited_on": "2021-01-01"}
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert "on or after the latest benchmarking" in response.context["form"].errors["audited_on"][0]
    assert not cluster.silver_audits.exists()


@pytest.mark.parametrize("unmet, awarded", [((), True), (("R01",), False), (("R12",), False), (("R01", "R02"), False)])
def test_every_baseline_requirement_must_be_met(reference_data, staff_user, unmet, awarded):
    cluster, first, second = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings(*unmet), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert (outcome.recommendation is not None) is awarded
    assert outcome.record.passed is awarded
    assert outcome.record.checks.filter(met=False).count() == len(unmet)


@pytest.mark.parametrize(
    "change, message",
    [
        ("drop", "each once"),
        ("twice", "each once"),
        ("no_note", "Say why requirement R04"),
        ("no_report", "Write the audit report"),
        ("no_recommendation", "at least one recommendation"),
    ],
)
def test_an_audit_must_check_every_requirement_and_give_its_report(reference_data, staff_user, change, message):
    cluster, first, second = two_benchmarkings(20)
    checked, fields = findings(), dict(REPORT)
    if change == "drop":
        checked.pop()
    elif change == "twice":
        checked[-1] = checked[0]
    elif change == "no_note":
        checked[3] = Finding(checked[3].requirement, False, "  ")
    elif change == "no_report":
        fields["report"] = " "
    else:
        fields["recommendations"] = ["", "  "]
    with pytest.raises(AuditError, match=message):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=checked, **fields,
            areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip
    assert not SilverAudit.objects.exists()


def silver_on(cluster, first, second, day, user):
    return silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=day, findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=user,
    )  # fmt: skip


@pytest.mark.parametrize(
    "renewed_on, renews",
    [(D(2025, 10, 1), True), (D(2026, 10, 1), True), (D(2026, 10, 2), False)],
)
def test_silver_is_renewed_like_bronze_up_to_a_year_after_expiry(reference_data, staff_user, renewed_on, renews):
    """A first Silver from 1 Oct 2023 runs to 1 Oct 2025; an audit up to 1 Oct 2026 renews it
    seamlessly (3 years from its end), a later one starts afresh (2 years)."""
    cluster, first, second = two_benchmarkings(20)
    earlier = board_approves(silver_on(cluster, first, second, D(2023, 10, 1), staff_user).recommendation)
    assert earlier.valid_until == D(2025, 10, 1)
    third = approved_interview(cluster=cluster, date=add_months(renewed_on, -20), maturity=0.5, seed=2)
    fourth = approved_interview(cluster=cluster, date=add_months(renewed_on, -1), maturity=0.95, seed=2)
    label = board_approves(silver_on(cluster, third, fourth, renewed_on, staff_user).recommendation)
    if renews:
        assert (label.renews, label.valid_from, label.valid_until) == (earlier, D(2025, 10, 2), D(2028, 10, 1))
    else:
        assert (label.renews, label.valid_from, label.valid_until) == (None, renewed_on, D(2028, 10, 2))


def test_a_second_silver_renewal_ahead_of_its_start_is_refused(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    board_approves(silver_on(cluster, first, second, D(2023, 10, 1), staff_user).recommendation)
    third = approved_interview(cluster=cluster, date=add_months(second.date, 20), maturity=0.95, seed=2)
    renewal = board_approves(silver_on(cluster, second, third, D(2025, 9, 1), staff_user).recommendation)
    assert (renewal.valid_from, renewal.valid_until) == (D(2025, 10, 2), D(2028, 10, 1))
    outcome = silver_on(cluster, second, third, D(2025, 9, 2), staff_user)
    assert outcome.recommendation is None
    assert any("already renewed" in reason for reason in outcome.reasons)


def test_the_label_page_keeps_its_query_count_as_audits_and_assessments_grow(client, reference_data, staff_user):
    """Each audit shows its findings, report, recommendations and areas; each assessment its 31
    scores: prefetched, so the page costs the same whatever their number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cluster, first, second = two_benchmarkings(20)
    url = reverse("benchmarking:cluster_labels", args=[cluster.pk])
    client.force_login(staff_user)

    def record_one(day):
        silver_on(cluster, first, second, day, staff_user)
        record_gold(staff_user, gold_scores("70"), cluster=cluster, assessed_on=day)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    record_one(D(2023, 10, 1))
    once = queries()
    record_one(D(2023, 10, 2))
    record_one(D(2023, 10, 3))
    assert queries() == once
