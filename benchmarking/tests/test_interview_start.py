"""Starting an interview: the cluster search, the date, accreditation and conflicts of interest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import ConflictOfInterest, Interview
from benchmarking.tests.interview_helpers import login, step_url
from tests.factories import ClusterFactory, InterviewFactory, answer_all

NEW = "/interviews/new/"


@pytest.fixture
def owner(client, expert):
    return login(client, expert.user)


@pytest.fixture
def cluster(reference_data):
    return ClusterFactory(name="Clúster Automotriz de Querétaro")


def _start(owner, the_cluster, **overrides):
    data = {
        "cluster": the_cluster.pk,
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "mode": "on_site",
        "interviewee_name": "Ana Pérez",
        "interviewee_role": "Cluster manager",
    } | overrides
    return owner.post(NEW, data)


def test_it_starts_an_interview_on_the_active_catalogue(owner, expert, cluster):
    response = _start(owner, cluster)
    interview = Interview.objects.get()
    assert response["Location"] == step_url(interview, "A")
    assert (interview.expert, interview.cluster, interview.catalogue.version) == (expert, cluster, "1")
    assert interview.status == Interview.Status.DRAFT
    assert interview.history.get().history_user == expert.user


def test_it_plans_an_interview_ahead_for_the_questionnaire_in_advance(owner, cluster):
    response = _start(owner, cluster, date=(timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    assert response.status_code == 302
    assert Interview.objects.get().date > timezone.localdate()


def test_it_refuses_a_date_more_than_a_year_ahead(owner, cluster):
    response = _start(owner, cluster, date=(timezone.localdate() + datetime.timedelta(days=370)).isoformat())
    assert "The interview date can be at most a year ahead." in response.text
    assert not Interview.objects.exists()


def test_it_refuses_a_date_outside_the_accreditation(owner, expert, cluster):
    response = _start(owner, cluster, date="2014-06-01")
    assert "does not cover 1 June 2014" in response.text
    assert not Interview.objects.exists()


def test_it_refuses_a_cluster_with_a_declared_conflict_of_interest(owner, expert, cluster):
    ConflictOfInterest.objects.create(expert=expert, cluster=cluster, reason="Former employer")
    response = _start(owner, cluster)
    assert "You declared a conflict of interest with Clúster Automotriz de Querétaro" in response.text
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cluster": ""}, "Choose the cluster."),
        ({"cluster": "999999"}, "Choose a cluster from the list."),
        ({"cluster": "abc"}, "Choose a cluster from the list."),
        ({"date": "31/02/2024"}, "Enter a valid date."),
        ({"mode": "telepathy"}, "Select a valid choice."),
        ({"interviewee_name": ""}, "This field is required."),
    ],
)
def test_it_explains_a_wrong_start(owner, cluster, overrides, message):
    response = _start(owner, cluster, **overrides)
    assert response.status_code == 200
    assert message in response.text
    assert not Interview.objects.exists()


def test_the_cluster_search_ignores_accents_and_case(owner, cluster):
    ClusterFactory(name="Bavarian Wood Cluster")
    response = owner.get(reverse("benchmarking:interview_cluster_search"), {"q": "QUERETARO"})
    assert response.json()["results"] == [
        {"id": cluster.pk, "name": cluster.name, "country": "Germany", "region": "Bavaria"}
    ]


def test_the_cluster_search_returns_at_most_20(owner, reference_data):
    for n in range(25):
        ClusterFactory(name=f"Wood cluster {n}")
    response = owner.get(reverse("benchmarking:interview_cluster_search"), {"q": "wood"})
    assert len(response.json()["results"]) == 20


def test_the_cluster_search_with_no_text_finds_nothing(owner, cluster):
    assert owner.get(reverse("benchmarking:interview_cluster_search")).json() == {"results": []}


def test_without_javascript_the_search_offers_radio_buttons(owner, cluster):
    response = owner.get(NEW, {"q": "querétaro"})
    assert f'type="radio" name="cluster" value="{cluster.pk}"' in response.text


def test_my_interviews_lists_drafts_first_with_progress(owner, expert):
    old_draft = InterviewFactory(expert=expert, date=datetime.date(2024, 1, 10))
    InterviewFactory(expert=expert, status=Interview.Status.SUBMITTED)
    InterviewFactory()  # another expert's
    answer_all(old_draft)
    response = owner.get("/interviews/")
    interviews = response.context["interviews"]
    assert [i.status for i in interviews] == ["draft", "submitted"]
    assert "36 of 36 answered" in response.text
    assert "0 of 36 answered" in response.text
    assert "Start a new interview" in response.text


@pytest.mark.parametrize("count", [3, 60])
def test_my_interviews_costs_a_fixed_number_of_queries(owner, expert, django_assert_num_queries, count):
    InterviewFactory.create_batch(count, expert=expert)
    # session, user, expert, count, the page of interviews, categories, indicator totals,
    # answered counts
    with django_assert_num_queries(8):
        owner.get("/interviews/")


def test_my_interviews_are_paged_with_the_unfinished_ones_first(owner, expert):
    day = datetime.date(2024, 1, 1)
    for n in range(27):
        InterviewFactory(expert=expert, status=Interview.Status.SUBMITTED, date=day + datetime.timedelta(days=n))
    returned = InterviewFactory(expert=expert, status=Interview.Status.RETURNED, date=datetime.date(2020, 1, 1))
    draft = InterviewFactory(expert=expert, date=datetime.date(2019, 1, 1))

    first = owner.get("/interviews/")
    second = owner.get("/interviews/", {"page": 2})

    assert list(first.context["interviews"])[:2] == [returned, draft]
    assert len(first.context["interviews"]) == 25 and len(second.context["interviews"]) == 4
    assert "Page 1 of 2 (29 interviews)" in first.text and 'href="?page=2"' in first.text
    assert 'href="?page=1"' in second.text
    seen = {i.pk for i in first.context["interviews"]} | {i.pk for i in second.context["interviews"]}
    assert len(seen) == 29


@pytest.mark.parametrize("page, shown", [("abc", 1), ("99", 2), ("-1", 2)])
def test_a_bad_page_number_shows_a_page_not_an_error(owner, expert, page, shown):
    InterviewFactory.create_batch(26, expert=expert)
    response = owner.get("/interviews/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown
