"""The Silver audit and Gold assessment forms (views/silver_gold.py) and the label page that shows them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.models import (
    BaselineRequirement,
    ConflictOfInterest,
    GoldAssessment,
    GoldIndicatorSet,
    Indicator,
    SilverAudit,
)
from benchmarking.rules.gold import active_gold_indicators
from benchmarking.selectors.progress import Trend, improved_indicators, indicator_changes
from benchmarking.tests.silver_gold.helpers import (
    D,
    audit_form_data,
    eligible_cluster,
    gold_scores,
    record_gold,
    silver_on,
    two_benchmarkings,
)
from tests.factories import ClusterFactory, ExpertFactory, approved_interview, board_approves

pytestmark = pytest.mark.django_db


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
