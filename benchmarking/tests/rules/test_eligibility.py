"""Eligibility as data of the catalogue version, and the facts the secretariat records."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from benchmarking.models import Catalogue, EligibilityCriterion, Interview
from benchmarking.rules.eligibility import eligibility, eligibility_refusal
from benchmarking.services.eligibility import EligibilityError, eligibility_facts_record
from clusters.models import Cluster
from tests.factories import ClusterFactory, InterviewFactory, answer_all

pytestmark = pytest.mark.django_db

COUNTS = {"SMEs": 14, "large companies": 2, "universities": 0, "research institutes": 0, "public bodies": 0}


def submitted(cluster=None, **values) -> Interview:
    cluster = cluster or ClusterFactory(eligible=True)
    return answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster=cluster), **values)


def judged(interview) -> dict:
    return {c.name.split(" (")[0]: c for c in eligibility(interview)}


def test_v1_has_the_six_ecc_p_criteria_as_data(catalogue):
    codes = list(catalogue.eligibility_criteria.values_list("code", flat=True))
    assert codes == [
        "eccp-validated",
        "english-website",
        "committed-members",
        "kinds-of-members",
        "public-bodies",
        "management-staff",
    ]


@pytest.mark.parametrize(("a4", "met"), [(14, False), (15, True)])
def test_committed_members_at_the_threshold(reference_data, a4, met):
    assert judged(submitted(A4=a4))["At least 15 committed members"].met is met


@pytest.mark.parametrize(("b4", "met"), [("0.4", False), ("0.4999", False), ("0.5", True), ("0.5001", True)])
def test_management_staff_at_the_threshold(reference_data, b4, met):
    """Compared unrounded: 0.4999 FTE is short of 0.5 (and the form refuses a fifth decimal place
    rather than round it: test_interview_step)."""
    criterion = judged(submitted(B4=Decimal(b4)))["At least 0.5 full-time equivalents of management staff"]
    assert (criterion.met, criterion.judged_on) == (met, f"{b4} FTE")


KINDS = "At least two kinds of members: triple helix"


@pytest.fixture(params=["1", "2"])
def catalogue_version(request, reference_data):
    if request.param == "2":
        call_command("loaddata", "catalogue_v2", verbosity=0)
    return Catalogue.objects.get(version=request.param)


def submitted_on(catalogue, **values) -> Interview:
    interview = InterviewFactory(status=Interview.Status.SUBMITTED, cluster=ClusterFactory(eligible=True),
                                 catalogue=catalogue)  # fmt: skip
    return answer_all(interview, **values)


NONE = {"SMEs": 0, "large companies": 0, "universities": 0, "research institutes": 0, "public bodies": 0, "other": 0}


@pytest.mark.parametrize(
    "members, met, judged_on",
    [
        ({"SMEs": 14, "large companies": 2}, False, "1: industry (SMEs, large companies)"),  # both industry
        ({"SMEs": 16}, False, "1: industry (SMEs)"),
        ({"universities": 3, "research institutes": 2}, False,
         "1: research and education (universities, research institutes)"),
        ({"SMEs": 16, "other": 4}, False, "1: industry (SMEs)"),  # "other" is none of the three kinds
        ({"SMEs": 14, "universities": 1}, True, "2: industry (SMEs); research and education (universities)"),
        ({"large companies": 3, "public bodies": 1}, True,
         "2: industry (large companies); public bodies (public bodies)"),
        ({"research institutes": 1, "public bodies": 1}, True,
         "2: research and education (research institutes); public bodies (public bodies)"),
        ({"SMEs": 9, "large companies": 1, "universities": 1, "public bodies": 1}, True,
         "3: industry (SMEs, large companies); research and education (universities); public bodies (public bodies)"),
        ({}, False, "none"),
    ],
)  # fmt: skip
def test_the_triple_helix_counts_kinds_not_parts(catalogue_version, members, met, judged_on):
    """domain.md, "Triple helix": industry (SMEs and large companies together), research and
    education, public bodies; at least two of these three, on both catalogue versions."""
    criterion = judged(submitted_on(catalogue_version, A5=NONE | members))[KINDS]
    assert (criterion.met, criterion.judged_on) == (met, judged_on)


def test_the_kinds_are_named_in_the_readers_language(reference_data):
    interview = submitted(A5=NONE | {"SMEs": 14, "universities": 1})
    with translation.override("de"):
        criterion = judged(interview)["Mindestens zwei Arten von Mitgliedern: Triple Helix"]
    assert criterion.judged_on == "2: Industrie (KMU); Forschung und Bildung (Hochschulen)"


def test_the_grouping_is_data_of_the_catalogue(reference_data):
    """A later catalogue may group otherwise: without a grouping each part is a kind of its own."""
    interview = submitted(A5=NONE | {"SMEs": 14, "large companies": 2})
    assert judged(interview)[KINDS].met is False
    EligibilityCriterion.objects.filter(code="kinds-of-members").update(kinds=[], kind_labels_en=[])
    assert (judged(interview)[KINDS].met, judged(interview)[KINDS].judged_on) == (True, "2: SMEs, large companies")


@pytest.mark.parametrize(
    "kinds, message",
    [
        ([["SMEs"], ["SMEs", "universities"]], "one kind at most"),
        ([["SMEs", "start-ups"]], "Not parts of A5: start-ups"),
        ([[]], "non-empty list"),
        ({"industry": ["SMEs"]}, "non-empty list"),
    ],
)
def test_a_grouping_must_name_each_part_of_the_indicator_once(reference_data, kinds, message):
    criterion = EligibilityCriterion.objects.get(catalogue__version="1", code="kinds-of-members")
    criterion.kinds = kinds
    with pytest.raises(ValidationError, match=message):
        criterion.full_clean()


def test_the_data_migration_groups_the_kinds_of_an_existing_database(reference_data):
    """Catalogues loaded before the grouping existed get it from migration 0019."""
    from django.apps import apps

    migration = importlib.import_module("benchmarking.migrations.0019_triple_helix_kinds")
    call_command("loaddata", "catalogue_v2", verbosity=0)
    EligibilityCriterion.objects.filter(code="kinds-of-members").update(
        kinds=[], kind_labels=[], kind_labels_en=[], kind_labels_es=[], kind_labels_de=[]
    )
    interview = submitted(A5=NONE | {"SMEs": 14, "large companies": 2})
    assert judged(interview)[KINDS].met is True  # the old count: two parts

    migration.group_kinds_of_members(apps, None)

    assert judged(interview)[KINDS].met is False
    for criterion in EligibilityCriterion.objects.filter(code="kinds-of-members"):
        assert criterion.kinds == migration.KINDS
        assert criterion.kind_labels_de == ["Industrie", "Forschung und Bildung", "öffentliche Stellen"]


def test_a_public_body_as_member_or_a_recorded_collaboration(reference_data):
    name = "A public body as member or, where none is, a visible collaboration with public bodies"
    cluster = ClusterFactory(eligible=True, public_collaboration="")
    assert judged(submitted(cluster, A5=COUNTS))[name].met is False
    assert judged(submitted(cluster, A5=COUNTS | {"public bodies": 1}))[name].met is True
    cluster.public_collaboration = "Joint projects with the regional ministry."
    cluster.save()
    criterion = judged(submitted(cluster, A5=COUNTS))[name]
    assert (criterion.met, criterion.judged_on) == (True, "Joint projects with the regional ministry.")


def test_the_eccp_validation_needs_the_profile_and_its_date(reference_data):
    cluster = ClusterFactory(eligible=True, eccp_validated_on=None)
    criterion = judged(submitted(cluster))["Validated on the European Cluster Collaboration Platform"]
    assert (criterion.met, criterion.judged_on) == (False, cluster.eccp_profile_url)


def test_the_english_website_is_a_fact_the_reviewer_records(reference_data):
    cluster = ClusterFactory(eligible=True, english_website_checked_on=None)
    name = "An English website showing that the organisation operates"
    assert judged(submitted(cluster))[name].judged_on == "not recorded by the reviewer"


def test_the_criteria_are_data_a_changed_threshold_changes_the_result(reference_data):
    interview = submitted(A4=20)
    assert eligibility_refusal(cluster=interview.cluster, interview=interview) is None
    EligibilityCriterion.objects.filter(code="committed-members").update(threshold=25)
    assert "At least 15 committed members" in eligibility_refusal(cluster=interview.cluster, interview=interview)


def test_a_waiver_waives_every_criterion_with_its_reason(reference_data):
    cluster = ClusterFactory(eligibility_waiver="social_economy", eligibility_waiver_note="Social-economy network")
    criteria = eligibility(submitted(cluster, A4=5))
    assert all(c.met and c.waived for c in criteria)
    assert criteria[0].waiver == "Social-economy cluster (Social-economy network)"


def test_a_waived_criterion_keeps_its_facts_beside_the_waiver(reference_data):
    cluster = ClusterFactory(eligibility_waiver="national_programme", eligibility_waiver_note="go-cluster")
    criteria = judged(submitted(cluster, A4=127, B4=Decimal("4")))
    members = criteria["At least 15 committed members"]
    staff = criteria["At least 0.5 full-time equivalents of management staff"]
    assert (members.waived, members.judged_on, members.met_by_facts) == (True, "127 participants", True)
    assert (staff.judged_on, staff.met_by_facts) == ("4 FTE", True)
    few = judged(submitted(cluster, A4=5))["At least 15 committed members"]
    assert (few.met, few.judged_on, few.met_by_facts) == (True, "5 participants", False)


def test_the_review_page_shows_the_facts_beside_waived(client, reference_data, staff_user):
    cluster = ClusterFactory(eligibility_waiver="national_programme", eligibility_waiver_note="go-cluster")
    interview = submitted(cluster, A4=127, B4=Decimal("4"))
    client.force_login(staff_user)
    html = client.get(reverse("benchmarking:review_interview", args=[interview.pk])).content.decode()
    assert "judged on: 127 participants (met without the waiver)" in html
    assert "judged on: 4 FTE (met without the waiver)" in html
    assert "Every criterion is waived:</strong> Recognised by a national cluster programme (go-cluster)" in html


def test_a_catalogue_without_criteria_makes_no_one_eligible(reference_data):
    other = Catalogue.objects.create(version="9", title="Test", published_on=datetime.date(2026, 1, 1))
    interview = InterviewFactory(cluster=ClusterFactory(eligible=True), catalogue=other)
    refusal = eligibility_refusal(cluster=interview.cluster, interview=interview)
    assert "Eligibility criteria of the catalogue" in refusal


def test_the_seed_clusters_can_be_made_eligible(seed_clusters, staff_user):
    """All 35 seed clusters lack the facts; recording them makes a cluster eligible."""
    cluster = Cluster.objects.filter(country="MX").first()
    interview = submitted(cluster, A5=COUNTS | {"public bodies": 2})
    assert eligibility_refusal(cluster=cluster, interview=interview) is not None
    eligibility_facts_record(
        cluster=cluster, user=staff_user, expected_updated_at=cluster.updated_at,
        eccp_profile_url="https://clustercollaboration.eu/cluster-organisations/mx",
        eccp_validated_on=datetime.date(2025, 3, 1), english_website_checked_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    cluster.refresh_from_db()
    assert eligibility_refusal(cluster=cluster, interview=interview) is None


# --- Recording the facts -------------------------------------------------------------------


def facts(**overrides) -> dict:
    return {
        "eccp_profile_url": "https://clustercollaboration.eu/cluster-organisations/x",
        "eccp_validated_on": "2025-03-01",
        "eligibility_waiver": "",
        "eligibility_waiver_note": "",
        "english_website_checked_on": "2026-11-01",
        "public_collaboration": "",
    } | overrides


def post_facts(client, interview, **overrides):
    data = facts(stamp=interview.cluster.updated_at.isoformat(), **overrides)
    return client.post(reverse("benchmarking:review_eligibility", args=[interview.pk]), data)


def test_the_review_page_records_the_facts_with_history(client, reference_data, staff_user):
    interview = submitted(ClusterFactory())
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:review_interview", args=[interview.pk])).content.decode()
    assert 'id="eligibility-form"' in page
    response = post_facts(client, interview)
    assert response.status_code == 302
    cluster = Cluster.objects.get(pk=interview.cluster.pk)
    assert cluster.eccp_validated_on == datetime.date(2025, 3, 1)
    record = cluster.history.first()
    assert (record.history_user, record.history_change_reason) == (staff_user, "Eligibility facts recorded")
    assert record.prev_record.eccp_validated_on is None  # old and new


def test_a_waiver_is_recorded_with_its_reason(client, reference_data, staff_user):
    interview = submitted(ClusterFactory())
    client.force_login(staff_user)
    response = post_facts(
        client, interview, eccp_profile_url="", eccp_validated_on="", eligibility_waiver="national_programme",
        eligibility_waiver_note="go-cluster programme",
    )  # fmt: skip
    assert response.status_code == 302
    cluster = Cluster.objects.get(pk=interview.cluster.pk)
    assert (cluster.eligibility_waiver, cluster.eligibility_waiver_note) == (
        "national_programme",
        "go-cluster programme",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"eccp_profile_url": "javascript:alert(1)"}, "eccp_profile_url", "Enter a valid URL."),
        ({"eccp_profile_url": "ftp://eccp.example.eu/x"}, "eccp_profile_url", "starts with http:// or https://"),
        ({"eccp_validated_on": "2099-01-01"}, "eccp_validated_on", "The date cannot be in the future."),
        ({"eccp_profile_url": ""}, "eccp_profile_url", "Give the ECCP profile that was validated."),
        ({"eligibility_waiver": "friends"}, "eligibility_waiver", "Select a valid choice."),
        ({"eligibility_waiver_note": "because"}, "eligibility_waiver", "Choose the reason for the waiver"),
        ({"public_collaboration": "x" * 1001}, "public_collaboration", "at most 1000 characters"),
    ],
)
def test_bad_facts_are_shown_next_to_the_field_and_nothing_is_saved(
    client, reference_data, staff_user, overrides, field, message
):
    interview = submitted(ClusterFactory())
    client.force_login(staff_user)
    response = post_facts(client, interview, **overrides)
    assert response.status_code == 400
    assert any(message in error for error in response.context["facts_form"].errors[field])
    cluster = Cluster.objects.get(pk=interview.cluster.pk)
    assert cluster.eccp_validated_on is None and cluster.history.count() == 1


def test_facts_saved_meanwhile_are_not_overwritten(client, reference_data, staff_user):
    interview = submitted(ClusterFactory())
    client.force_login(staff_user)
    stale = interview.cluster.updated_at.isoformat()
    eligibility_facts_record(
        cluster=interview.cluster, user=staff_user, expected_updated_at=None, public_collaboration="Seen by Ann"
    )
    data = facts(stamp=stale)
    response = client.post(reverse("benchmarking:review_eligibility", args=[interview.pk]), data)
    assert response.status_code == 400
    assert "changed since you opened the page" in response.content.decode()
    assert Cluster.objects.get(pk=interview.cluster.pk).public_collaboration == "Seen by Ann"


def test_the_expert_of_the_interview_cannot_record_facts_even_as_staff(client, reference_data):
    interview = submitted(ClusterFactory())
    own = interview.expert.user
    own.is_staff = True
    own.save()
    client.force_login(own)
    assert post_facts(client, interview).status_code == 403


def test_recording_facts_needs_a_post(client, reference_data, staff_user):
    interview = submitted(ClusterFactory())
    client.force_login(staff_user)
    assert client.get(reverse("benchmarking:review_eligibility", args=[interview.pk])).status_code == 405


def test_the_service_refuses_a_date_in_the_future(reference_data, staff_user):
    cluster = ClusterFactory()
    with pytest.raises(EligibilityError, match="future"):
        eligibility_facts_record(
            cluster=cluster, user=staff_user, expected_updated_at=None,
            english_website_checked_on=timezone.localdate() + datetime.timedelta(days=1),
        )  # fmt: skip


def test_v2_carries_the_same_criteria_on_its_own_indicators(reference_data, staff_user):
    from django.core.management import call_command

    call_command("loaddata", "catalogue_v2", verbosity=0)
    v2 = Catalogue.objects.get(version="2")
    criteria = list(v2.eligibility_criteria.select_related("indicator"))
    assert [c.code for c in criteria] == list(
        Catalogue.objects.get(version="1").eligibility_criteria.values_list("code", flat=True)
    )
    assert all(c.indicator is None or c.indicator.catalogue_id == v2.pk for c in criteria)
    interview = answer_all(
        InterviewFactory(status=Interview.Status.SUBMITTED, cluster=ClusterFactory(eligible=True), catalogue=v2)
    )
    assert eligibility_refusal(cluster=interview.cluster, interview=interview) is None
