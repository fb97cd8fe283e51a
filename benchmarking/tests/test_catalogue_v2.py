"""Catalogue v2, the 2019 questionnaire (fixtures/catalogue_v2.json, recommendation_rules_v2.json):
new interviews use it, interviews and reports on v1 keep v1, progress compares the mapped
indicators, peers are compared within one catalogue version."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarking.models import Catalogue, Category, Indicator, Interview, RecommendationRule
from benchmarking.selectors.progress import Trend, interview_progress
from benchmarking.selectors.reports import build_snapshot
from benchmarking.services.interview_start import interview_start
from ecei_site.translated import missing_translations
from tests.factories import ClusterFactory, InterviewFactory, answer_all

pytestmark = pytest.mark.django_db
D = datetime.date
NEW_IN_V2 = {"A9", "B11", "B12", "B13", "C6", "D8", "D9", "D10", "D11", "E4", "F4", "F5"}


@pytest.fixture
def v2(reference_data):
    call_command("loaddata", "recommendation_rules_v1", "catalogue_v2", "recommendation_rules_v2", verbosity=0)
    return Catalogue.objects.get(version="2")


def test_v2_has_the_six_categories_and_the_2019_indicators(v2):
    assert list(v2.categories.values_list("code", flat=True)) == ["A", "B", "C", "D", "E", "F"]
    codes = set(Indicator.objects.filter(catalogue=v2).values_list("code", flat=True))
    assert len(codes) == 48
    assert NEW_IN_V2 <= codes
    assert codes - NEW_IN_V2 == set(Indicator.objects.filter(catalogue__version="1").values_list("code", flat=True))


def test_every_carried_over_indicator_names_its_v1_question(v2):
    for indicator in Indicator.objects.filter(catalogue=v2).select_related("compares_with__catalogue"):
        if indicator.code in NEW_IN_V2:
            assert indicator.compares_with is None, indicator.code
        else:
            assert (indicator.compares_with.catalogue.version, indicator.compares_with.code) == ("1", indicator.code)
            indicator.full_clean()  # the mapping points to an earlier version


def test_v2_and_its_rules_are_complete_in_spanish_and_german(v2):
    objects = [
        v2,
        *Category.objects.filter(catalogue=v2),
        *Indicator.objects.filter(catalogue=v2),
        *RecommendationRule.objects.filter(indicator__catalogue=v2),
    ]
    assert len(objects) == 1 + 6 + 48 + 34
    assert {str(obj): missing_translations(obj) for obj in objects if missing_translations(obj)} == {}
    d8 = Indicator.objects.get(catalogue=v2, code="D8")
    assert len(d8.option_labels_es) == len(d8.option_labels_de) == len(d8.options) == 6


def test_every_v2_rule_names_an_option_or_answer_the_indicator_has(v2):
    for rule in RecommendationRule.objects.filter(indicator__catalogue=v2, condition="answer_is"):
        answer = rule.answer.removeprefix("not: ")
        allowed = rule.indicator.options or ["yes", "no"]
        assert answer in allowed, (rule.indicator.code, rule.answer)


def test_loading_v2_again_changes_nothing(v2):
    counts = (Catalogue.objects.count(), Indicator.objects.count(), RecommendationRule.objects.count())
    call_command("loaddata", "catalogue_v2", "recommendation_rules_v2", verbosity=0)
    assert (Catalogue.objects.count(), Indicator.objects.count(), RecommendationRule.objects.count()) == counts


def test_new_interviews_use_v2_and_v1_interviews_keep_v1(v2, expert):
    earlier = InterviewFactory(catalogue=Catalogue.objects.get(version="1"), date=D(2018, 5, 2))
    interview = interview_start(
        expert=expert, cluster=ClusterFactory(), date=D(2026, 11, 20), mode="video",
        interviewee_name="Ana", interviewee_role="Cluster manager", user=expert.user,
    )  # fmt: skip
    assert interview.catalogue == v2
    earlier.refresh_from_db()
    assert earlier.catalogue.version == "1"


def test_the_current_catalogue_is_the_latest_published_active_one(v2):
    v1 = Catalogue.objects.get(version="1")
    assert v1.is_active and Catalogue.objects.current() == v2
    Catalogue.objects.filter(pk=v2.pk).update(is_active=False)
    assert Catalogue.objects.current() == v1
    Catalogue.objects.update(is_active=False)
    assert Catalogue.objects.current() is None


def test_the_report_follows_the_interviews_catalogue(v2):
    cluster = ClusterFactory()
    v1 = Catalogue.objects.get(version="1")
    before = answer_all(InterviewFactory(cluster=cluster, catalogue=v1, status="approved", date=D(2019, 3, 1)))
    after = answer_all(InterviewFactory(cluster=cluster, catalogue=v2, status="approved", date=D(2021, 3, 1)))
    old, new = build_snapshot(before), build_snapshot(after)
    assert old["catalogue"]["version"] == "1" and new["catalogue"]["version"] == "2"
    old_codes = {i["code"] for c in old["categories"] for i in c["indicators"]}
    new_codes = {i["code"] for c in new["categories"] for i in c["indicators"]}
    assert len(old_codes) == 36 and not old_codes & NEW_IN_V2
    assert len(new_codes) == 48 and NEW_IN_V2 <= new_codes


def test_progress_compares_the_mapped_indicators_across_versions(v2):
    cluster = ClusterFactory()
    v1 = Catalogue.objects.get(version="1")
    before = InterviewFactory(cluster=cluster, catalogue=v1, status="approved", date=D(2019, 3, 1))
    answer_all(before, D7=Decimal(40), B8=False)
    after = InterviewFactory(cluster=cluster, catalogue=v2, status="approved", date=D(2021, 3, 1))
    answer_all(after, D7=Decimal(70), B8=True)
    progress = interview_progress(before, after)
    trends = {c.indicator.code: c.trend for c in progress.changes}
    assert trends["D7"] == trends["B8"] == Trend.IMPROVED
    assert progress.dropped == []
    assert {code for code, trend in trends.items() if trend == Trend.NOT_COMPARABLE} >= NEW_IN_V2 - {"B13"}


def test_peers_are_compared_within_one_catalogue_version(v2, settings):
    settings.ECEI_REPORT_MIN_GROUP_SIZE = 2
    v1 = Catalogue.objects.get(version="1")
    for n in range(3):
        answer_all(InterviewFactory(catalogue=v1, status="approved", date=D(2018, 1, 10 + n)), seed=n)
    own = answer_all(InterviewFactory(catalogue=v2, status="approved", date=D(2021, 1, 10)))
    answer_all(InterviewFactory(catalogue=v2, status="approved", date=D(2021, 2, 10)), seed=9)
    groups = {g["key"]: g["n"] for g in build_snapshot(own)["groups"]}
    assert groups["all"] == 1  # the other v2 cluster; the three on v1 are not its peers


def test_the_report_page_of_a_v2_interview_shows_the_new_indicators(v2, client, staff_user):
    interview = answer_all(InterviewFactory(catalogue=v2, status="approved", date=D(2021, 3, 1)))
    from benchmarking.services.reports import report_issue

    report = report_issue(interview=interview, user=staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:report", kwargs={"code": report.code})).content.decode()
    assert "Services supporting the green transition of participants" in page
    assert Interview.objects.get(pk=interview.pk).catalogue == v2


def test_the_v2_rules_recommend_on_the_new_indicators_in_each_language(v2):
    from benchmarking.selectors.reports import build_snapshots

    interview = InterviewFactory(catalogue=v2, status="approved", date=D(2021, 3, 1))
    answer_all(interview, F4=False, B11="not addressed", D9=["training in green skills"])
    snapshots = build_snapshots(interview)
    found = {r["indicator"]: r["text"] for c in snapshots["en"]["categories"] for r in c["recommendations"]}
    assert found["F4"].startswith("Measure the cluster management's own environmental footprint")
    assert found["B11"].startswith("Give the digital transformation")
    assert found["D9"].startswith("Support participants in circular economy projects")
    german = {r["indicator"]: r["text"] for c in snapshots["de"]["categories"] for r in c["recommendations"]}
    assert german["F4"].startswith("Messen Sie den ökologischen Fußabdruck")
