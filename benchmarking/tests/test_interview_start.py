"""Starting an interview: the cluster search, the date, accreditation and conflicts of interest; the
rule with the cluster's labels held in memory (the legacy import's door)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import ConflictOfInterest, Interview, Label, LabelRecommendation
from benchmarking.services.interview_start import interview_start_refusal
from benchmarking.tests.interview_helpers import login, step_url
from clusters.models import Cluster
from tests.factories import ClusterFactory, InterviewFactory, LabelFactory, answer_all

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


# --- The rule with the cluster's labels held (the legacy import's door) ------------------------

D = datetime.date


def _renewed_cluster(reference_data):
    """A first label, then its renewal benchmarked before that label ends: from 1 March 2016 to
    1 June 2016 a benchmarking would renew the period already renewed."""
    the_cluster = ClusterFactory(name="Danish Water Technology Cluster", country="DK")
    first = LabelFactory(cluster=the_cluster, code="DNK001201406B", benchmarked_on=D(2014, 6, 1),
                         valid_from=D(2014, 6, 1), valid_until=D(2016, 6, 1))  # fmt: skip
    LabelFactory(cluster=the_cluster, code="DNK002201603B", benchmarked_on=D(2016, 3, 1), valid_from=D(2016, 6, 2),
                 valid_until=D(2019, 6, 1), renews=first)  # fmt: skip
    return the_cluster


def _waiting(the_cluster, day, by):
    return LabelRecommendation.objects.create(
        cluster=the_cluster, level=Label.Level.BRONZE, source=Label.Source.INTERVIEW, benchmarked_on=day,
        recommended_by=by,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "refused"),
    [(D(2016, 4, 12), True), (D(2016, 6, 1), True), (D(2016, 6, 2), False), (D(2019, 5, 1), False)],
)
def test_with_the_labels_held_it_refuses_what_the_database_refuses(reference_data, expert, day, refused):
    """A renewal that would stack is refused, with the same message, and a fine one allowed."""
    the_cluster = _renewed_cluster(reference_data)
    held = list(the_cluster.labels.all())
    expert.accredited_from = D(2010, 1, 1)
    read = interview_start_refusal(expert=expert, cluster=the_cluster, date=day)
    assert interview_start_refusal(expert=expert, cluster=the_cluster, date=day, labels=held) == read
    assert (read is not None) is refused
    if refused:
        assert read.startswith("Danish Water Technology Cluster is already renewed: label DNK002201603B")


def test_with_the_labels_held_a_waiting_recommendation_still_refuses_a_stacking_benchmarking(
    reference_data, expert, staff_user
):
    """Only the labels are held: a renewal waiting for the board is read, as it renews a period too."""
    the_cluster = ClusterFactory(name="Danish Water Technology Cluster", country="DK")
    LabelFactory(cluster=the_cluster, code="DNK001201406B", benchmarked_on=D(2014, 6, 1), valid_from=D(2014, 6, 1),
                 valid_until=D(2016, 6, 1))  # fmt: skip
    held = list(the_cluster.labels.all())
    expert.accredited_from = D(2010, 1, 1)
    assert interview_start_refusal(expert=expert, cluster=the_cluster, date=D(2016, 4, 12), labels=held) is None
    _waiting(the_cluster, D(2016, 3, 1), staff_user)
    refusal = interview_start_refusal(expert=expert, cluster=the_cluster, date=D(2016, 4, 12), labels=held)
    assert refusal == interview_start_refusal(expert=expert, cluster=the_cluster, date=D(2016, 4, 12))
    assert "already renewed by the benchmarking of 1 March 2016, which waits for the board" in refusal
    # One before the waiting one: that recommendation would then stack, not this benchmarking.
    assert interview_start_refusal(expert=expert, cluster=the_cluster, date=D(2016, 2, 1), labels=held) is None


def test_a_cluster_not_saved_yet_is_judged_without_a_query(reference_data, expert, django_assert_num_queries):
    """No conflict or recommendation can name a cluster the import is creating: nothing is read."""
    new = Cluster(name="Bioregion Nord", country="DE")
    expert.accredited_from = D(2010, 1, 1)
    first = Label(level=Label.Level.BRONZE, code="DEU900201406B", benchmarked_on=D(2014, 6, 1),
                  valid_from=D(2016, 6, 2), valid_until=D(2019, 6, 1), source=Label.Source.IMPORT)  # fmt: skip
    with django_assert_num_queries(0):
        assert interview_start_refusal(expert=expert, cluster=new, date=D(2014, 5, 1), labels=[]) is None
        refusal = interview_start_refusal(expert=expert, cluster=new, date=D(2016, 4, 12), labels=[first])
        assert refusal.startswith("Bioregion Nord is already renewed: label DEU900201406B runs from 2 June 2016")
        assert "does not cover" in interview_start_refusal(expert=expert, cluster=new, date=D(2009, 5, 1), labels=[])


def test_a_conflict_of_interest_still_refuses_with_the_labels_held(reference_data, expert):
    the_cluster = _renewed_cluster(reference_data)
    ConflictOfInterest.objects.create(expert=expert, cluster=the_cluster, reason="Former employer")
    refusal = interview_start_refusal(expert=expert, cluster=the_cluster, date=D(2019, 5, 1), labels=[])
    assert refusal.startswith("You declared a conflict of interest with Danish Water Technology Cluster")
