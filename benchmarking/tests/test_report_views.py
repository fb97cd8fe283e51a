"""The report page, its PDF, re-issue, "My cluster" and the expert's recommendations: access and content."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from benchmarking.models import ExpertRecommendation, Interview, Report
from benchmarking.services.reports import report_issue
from clusters.models import ComparativePortfolio
from tests import factories


@pytest.fixture
def ict(reference_data):
    return ComparativePortfolio.objects.get(slug="ict")


@pytest.fixture
def world(ict, staff_user, plain_user):
    """A cluster with seven peers and an issued report; the people around it."""
    for n in range(7):
        factories.approved_interview(
            cluster=factories.ClusterFactory(portfolio=ict), seed=n, values={"B4": Decimal(n + 1)}
        )
    cluster = factories.ClusterFactory(portfolio=ict, name="Bavarian Software Cluster")
    previous = factories.approved_interview(
        cluster=cluster, seed=40, date=datetime.date.today() - datetime.timedelta(days=730)
    )
    interview = factories.approved_interview(cluster=cluster, seed=41, values={"B4": Decimal("0.5")})
    ExpertRecommendation.objects.create(
        interview=interview,
        category=interview.catalogue.categories.get(code="B"),
        text="Hire a second project manager.",
    )
    manager = factories.UserFactory(username="manager")
    cluster.managers.add(manager)
    other_manager = factories.UserFactory(username="othermanager")
    factories.ClusterFactory(portfolio=ict).managers.add(other_manager)
    return {
        "report": report_issue(interview=interview, user=staff_user),
        "interview": interview,
        "previous": previous,
        "anonymous": None,
        "plain user": plain_user,
        "other expert": factories.ExpertFactory().user,
        "interviewing expert": interview.expert.user,
        "manager of the cluster": manager,
        "manager of another cluster": other_manager,
        "staff": staff_user,
    }


ACCESS = [
    ("anonymous", 302),
    ("plain user", 404),
    ("other expert", 404),
    ("interviewing expert", 200),
    ("manager of the cluster", 200),
    ("manager of another cluster", 404),
    ("staff", 200),
]


def login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_who_may_read_the_report_page(client, world, who, status):
    login(client, world[who])
    response = client.get(world["report"].get_absolute_url())
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_who_may_read_the_report_pdf(client, world, who, status):
    login(client, world[who])
    response = client.get(reverse("benchmarking:report_pdf", args=[world["report"].code]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_unknown_report_is_a_404_even_for_staff(client, world):
    client.force_login(world["staff"])
    assert client.get(reverse("benchmarking:report", args=["DEU999202401R1"])).status_code == 404


def test_the_page_shows_groups_statistics_recommendations_and_progress(client, world):
    client.force_login(world["manager of the cluster"])
    response = client.get(world["report"].get_absolute_url())
    html = response.content.decode()
    assert world["report"].code in html and "Bavarian Software Cluster" in html
    assert "Same comparative portfolio: ICT" in html
    assert "Excellence group" in html and "at least 6 are needed" in html  # not shown, and why
    assert 'role="img"' in html and "<svg" in html  # server-drawn charts
    assert "Hire a second project manager." in html
    assert "Progress since the previous benchmarking" in html and date_format(world["previous"].date) in html
    assert "Hyndman and Fan type 7" in html


def test_the_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world["manager of the cluster"])
    # session, user, report with its interview and cluster, "is a manager of the cluster",
    # and base.html's navigation: user.expert, user.managed_clusters, the user's questionnaire
    # (issue 16). Nothing per group or indicator. The first request also reads the report's
    # document to render the stored page (documents/report_page.py), later ones do not.
    with django_assert_num_queries(8):
        client.get(world["report"].get_absolute_url())
    with django_assert_num_queries(7):
        client.get(world["report"].get_absolute_url())


def test_staff_reissue_makes_a_new_version_and_keeps_the_old(client, world):
    client.force_login(world["staff"])
    old = world["report"]
    response = client.post(reverse("benchmarking:report_reissue", args=[old.code]))
    new = Report.objects.get(interview=world["interview"], version=2)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert Report.objects.get(pk=old.pk).snapshot == old.snapshot


@pytest.mark.parametrize("who", ["interviewing expert", "manager of the cluster", "plain user"])
def test_only_staff_may_reissue(client, world, who):
    login(client, world[who])
    assert client.post(reverse("benchmarking:report_reissue", args=[world["report"].code])).status_code == 404
    assert Report.objects.count() == 1


def test_reissue_rejects_get(client, world):
    client.force_login(world["staff"])
    assert client.get(reverse("benchmarking:report_reissue", args=[world["report"].code])).status_code == 405


def test_my_cluster_lists_the_managers_cluster_labels_and_reports(client, world, django_assert_num_queries):
    factories.LabelFactory(cluster=world["interview"].cluster, code="DEU123202401B")
    client.force_login(world["manager of the cluster"])
    # session, user, clusters, their labels, approved interviews, reports, the questionnaires the
    # user took up (issue 27); base.html's navigation (3)
    with django_assert_num_queries(10):
        html = client.get(reverse("benchmarking:my_cluster")).content.decode()
    assert "Bavarian Software Cluster" in html and "DEU123202401B" in html and world["report"].code in html


def test_my_cluster_lists_the_reports_without_reading_their_documents(client, world):
    client.force_login(world["manager of the cluster"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("benchmarking:my_cluster")).content.decode()
    assert world["report"].code in html
    listed = [q["sql"] for q in queries if 'FROM "benchmarking_report"' in q["sql"]]
    assert listed and not any('"snapshot"' in sql or '"translations"' in sql for sql in listed)


def test_my_cluster_shows_nothing_of_other_clusters(client, world):
    client.force_login(world["manager of another cluster"])
    html = client.get(reverse("benchmarking:my_cluster")).content.decode()
    assert world["report"].code not in html and "Bavarian Software Cluster" not in html


def test_my_cluster_requires_login(client, world):
    assert client.get(reverse("benchmarking:my_cluster")).status_code == 302


# --- The expert's recommendations ------------------------------------------------------------


@pytest.fixture
def open_interview(world):
    cluster = world["interview"].cluster
    return factories.InterviewFactory(cluster=cluster, status=Interview.Status.DRAFT, expert=world["interview"].expert)


def url(interview):
    return reverse("benchmarking:interview_recommendations", args=[interview.pk])


def test_the_expert_writes_recommendations_while_the_interview_is_open(client, world, open_interview):
    client.force_login(world["interviewing expert"])
    category = open_interview.catalogue.categories.get(code="D")
    response = client.post(
        url(open_interview), {f"category_{category.pk}": "  Start an internationalisation service. "}
    )
    assert response.status_code == 302
    assert ExpertRecommendation.objects.get(interview=open_interview).text == "Start an internationalisation service."
    client.post(url(open_interview), {f"category_{category.pk}": ""})
    assert not ExpertRecommendation.objects.filter(interview=open_interview).exists()


def test_the_expert_cannot_change_them_after_submission_but_staff_can(client, world):
    approved = world["interview"]
    category = approved.catalogue.categories.get(code="B")
    client.force_login(world["interviewing expert"])
    assert client.get(url(approved)).status_code == 200  # read-only
    assert client.post(url(approved), {f"category_{category.pk}": "Changed"}).status_code == 403
    assert ExpertRecommendation.objects.get(interview=approved).text == "Hire a second project manager."
    client.force_login(world["staff"])
    assert client.post(url(approved), {f"category_{category.pk}": "Changed"}).status_code == 302
    assert ExpertRecommendation.objects.get(interview=approved).text == "Changed"
    # The issued report keeps what it was issued with.
    assert "Hire a second project manager." in str(Report.objects.get(pk=world["report"].pk).snapshot)


@pytest.mark.parametrize("who", ["other expert", "plain user", "manager of the cluster"])
def test_others_cannot_see_the_recommendations_form(client, world, who):
    client.force_login(world[who])
    assert client.get(url(world["interview"])).status_code == 404
