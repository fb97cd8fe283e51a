"""The catalogue in force on the interview's date (domain.md, "Catalogue and rules by the
interview's date"): v1 before 15 November 2019, v2 from that day, whatever today is; the
expert is told which version the interview uses; the version follows a changed date."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from activity import actions
from activity.models import ActionLog
from benchmarking.models import Answer, Catalogue, Indicator, Interview, Proposal
from benchmarking.rules.eligibility import eligibility
from benchmarking.selectors.catalogues import catalogue_periods
from benchmarking.services.interview_start import interview_date_change, interview_start
from benchmarking.services.interviews import InterviewError
from benchmarking.tests.interview_helpers import login
from tests.factories import ClusterFactory, ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
EVE, REVISION = D(2019, 11, 14), D(2019, 11, 15)


@pytest.fixture
def both_catalogues(reference_data):
    call_command("loaddata", "catalogue_v2", verbosity=0)
    return Catalogue.objects.get(version="1"), Catalogue.objects.get(version="2")


@pytest.fixture
def expert(reference_data):
    return ExpertFactory(accredited_from=D(2010, 1, 1))


def start(expert, day, cluster=None):
    return interview_start(
        expert=expert, cluster=cluster or ClusterFactory(), date=day, mode="on_site",
        interviewee_name="Ana Pérez", interviewee_role="Cluster manager", user=expert.user,
    )  # fmt: skip


# --- In force on a day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, version",
    [(D(2010, 11, 1), "1"), (D(2019, 10, 1), "1"), (EVE, "1"), (REVISION, "2"), (D(2019, 11, 16), "2")],
)
def test_the_catalogue_in_force_on_a_day(both_catalogues, day, version):
    assert Catalogue.objects.in_force_on(day).version == version


def test_no_catalogue_is_in_force_before_the_first(both_catalogues):
    assert Catalogue.objects.in_force_on(D(2010, 10, 31)) is None


def test_an_inactive_version_is_never_in_force(both_catalogues):
    Catalogue.objects.filter(version="2").update(is_active=False)
    assert Catalogue.objects.in_force_on(REVISION).version == "1"


def test_the_periods_of_the_catalogues(both_catalogues):
    v1, v2 = both_catalogues
    periods = [(p.catalogue, p.starts, p.ends) for p in catalogue_periods()]
    assert periods == [(v1, D(2010, 11, 1), EVE), (v2, REVISION, None)]


# --- Starting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("day, version", [(D(2019, 10, 1), "1"), (EVE, "1"), (REVISION, "2")])
def test_an_interview_uses_the_catalogue_of_its_date_not_todays(both_catalogues, expert, day, version):
    assert start(expert, day).catalogue.version == version


def test_the_eligibility_criteria_follow_the_catalogue_of_the_date(both_catalogues, expert):
    before, after = start(expert, EVE), start(expert, REVISION)
    assert {c.indicator.catalogue.version for c in before.catalogue.eligibility_criteria.exclude(indicator=None)} == {
        "1"
    }
    assert {c.indicator.catalogue.version for c in after.catalogue.eligibility_criteria.exclude(indicator=None)} == {
        "2"
    }
    assert len(eligibility(before)) == len(eligibility(after)) == 6


def test_a_date_before_the_first_catalogue_is_refused(both_catalogues, expert):
    with pytest.raises(InterviewError, match="No catalogue was in force on 31 October 2010: the earliest, v1, applies"):
        start(expert, D(2010, 10, 31))
    assert not Interview.objects.exists()


def test_the_start_page_says_which_version_the_date_uses(client, both_catalogues, expert):
    login(client, expert.user)
    page = client.get("/interviews/new/").text
    assert "catalogue v1 for interviews from 1 November 2010 to 14 November 2019" in page
    assert "catalogue v2 for interviews from 15 November 2019" in page
    assert "uses catalogue v2." in page  # today's date, the default

    data = {"cluster": ClusterFactory().pk, "date": "2019-11-14", "mode": "on_site", "interviewee_name": "",
            "interviewee_role": "Manager"}  # fmt: skip
    refused = client.post("/interviews/new/", data).text  # the name is missing: the page comes back
    assert "An interview on 14 November 2019 uses catalogue v1." in refused


def test_the_start_page_in_german_with_the_text_the_script_fills_in(client, both_catalogues, expert):
    login(client, expert.user)
    page = client.get("/interviews/new/", HTTP_ACCEPT_LANGUAGE="de").text
    assert "Katalog v1 für Interviews vom 1. November 2010 bis 14. November 2019" in page
    assert 'data-template="Ein Interview an diesem Datum verwendet Katalog v__version__."' in page
    assert 'data-starts="2019-11-15" data-ends="" data-version="2"' in page


def test_the_start_message_names_the_version(client, both_catalogues, expert):
    login(client, expert.user)
    data = {"cluster": ClusterFactory().pk, "date": "2019-11-15", "mode": "on_site", "interviewee_name": "Ana",
            "interviewee_role": "Manager"}  # fmt: skip
    page = client.post("/interviews/new/", data, follow=True).text
    assert "started on catalogue v2, in force on 15 November 2019." in page


def test_the_interview_page_says_which_version_it_uses(client, both_catalogues, expert):
    interview = start(expert, EVE)
    login(client, expert.user)
    page = client.get(interview.get_absolute_url()).text
    assert "This interview uses catalogue v1, the one in force on its date (14 November 2019)." in page
    assert "It applies to interviews from 1 November 2010 to 14 November 2019." in page


def test_the_interview_page_in_german(client, both_catalogues, expert):
    interview = start(expert, REVISION)
    login(client, expert.user)
    page = client.get(interview.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").text
    assert "Dieses Interview verwendet Katalog v2" in page


# --- Changing the date --------------------------------------------------------------------------


def change(interview, day):
    interview.refresh_from_db()
    return interview_date_change(interview=interview, date=day, expected_version=interview.version,
                                 user=interview.expert.user)  # fmt: skip


@pytest.mark.parametrize("first, second, version", [(EVE, REVISION, "2"), (REVISION, EVE, "1")])
def test_the_version_follows_a_changed_date(both_catalogues, expert, first, second, version):
    interview = change(start(expert, first), second)
    interview.refresh_from_db()
    assert (interview.date, interview.catalogue.version) == (second, version)
    assert interview.history.first().history_change_reason == "Interview date changed"
    logged = ActionLog.objects.get(action=actions.INTERVIEW_DATE_CHANGED)
    assert (logged.user, logged.data["changes"]["catalogue"]["new"]) == (interview.expert.user, version)


def test_a_draft_with_answers_keeps_its_catalogue_and_refuses_a_date_of_another(both_catalogues, expert):
    interview = start(expert, EVE)
    Answer.objects.create(interview=interview, indicator=interview.catalogue.indicators.get(code="A4"), number=20)
    with pytest.raises(InterviewError, match="answers do not carry over") as refused:
        change(interview, REVISION)
    assert "Choose a date on which v1 is in force (from 1 November 2010 to 14 November 2019)." in str(refused.value)
    interview.refresh_from_db()
    assert (interview.date, interview.catalogue.version, interview.version) == (EVE, "1", 1)
    # Within its catalogue's period the date moves freely.
    assert change(interview, D(2019, 10, 1)).date == D(2019, 10, 1)


def test_the_managers_proposals_count_as_answers(both_catalogues, expert):
    interview = start(expert, REVISION)
    Proposal.objects.create(interview=interview, indicator=interview.catalogue.indicators.get(code="A4"), number=20)
    with pytest.raises(InterviewError, match="answers to catalogue v2"):
        change(interview, EVE)


def test_a_changed_date_obeys_the_rules_of_a_start(both_catalogues, expert):
    interview = start(expert, REVISION)
    with pytest.raises(InterviewError, match="does not cover"):
        change(interview, D(2009, 12, 31))  # before the expert's accreditation
    with pytest.raises(InterviewError, match="No catalogue was in force"):
        Interview.objects.filter(pk=interview.pk).update(expert=ExpertFactory(accredited_from=D(2000, 1, 1)))
        change(interview, D(2010, 10, 31))


def test_a_submitted_interview_keeps_its_date(both_catalogues, expert):
    interview = start(expert, REVISION)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    with pytest.raises(InterviewError, match="can no longer be changed"):
        change(interview, D(2019, 12, 1))


# --- The view -----------------------------------------------------------------------------------


def date_url(interview):
    return reverse("benchmarking:interview_date", args=[interview.pk])


def test_the_expert_changes_the_date_on_the_interview_page(client, both_catalogues, expert):
    interview = start(expert, EVE)
    login(client, expert.user)
    response = client.post(date_url(interview), {"date": "2019-11-15", "version": interview.version}, follow=True)
    assert "now uses catalogue v2, in force on that day" in response.text
    interview.refresh_from_db()
    assert (interview.date, interview.catalogue.version) == (REVISION, "2")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "15.11.2019x", "version": "1"}, "Enter the date as a date"),
        ({"version": "1"}, "Give the new interview date."),
        ({"date": "2019-11-15", "version": "7"}, "Not changed: the interview was changed in another tab"),
    ],
)
def test_bad_input_is_explained_and_nothing_changes(client, both_catalogues, expert, data, message):
    interview = start(expert, EVE)
    login(client, expert.user)
    response = client.post(date_url(interview), data, follow=True)
    assert response.status_code == 200 and message in response.text
    interview.refresh_from_db()
    assert (interview.date, interview.catalogue.version, interview.version) == (EVE, "1", 1)


def test_a_refused_change_is_explained(client, both_catalogues, expert):
    interview = start(expert, EVE)
    Answer.objects.create(interview=interview, indicator=Indicator.objects.get(catalogue__version="1", code="A4"),
                          number=20)  # fmt: skip
    login(client, expert.user)
    response = client.post(date_url(interview), {"date": "2019-11-15", "version": interview.version}, follow=True)
    assert "answers do not carry over from one version to another" in response.text


def test_anonymous_is_sent_to_log_in(client, both_catalogues, expert):
    interview = start(expert, EVE)
    response = client.post(date_url(interview), {"date": "2019-11-15", "version": 1})
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_expert_gets_a_404(client, both_catalogues, expert):
    interview = start(expert, EVE)
    login(client, ExpertFactory().user)
    assert client.post(date_url(interview), {"date": "2019-11-15", "version": 1}).status_code == 404


def test_the_secretariat_reads_but_does_not_change_the_date(client, both_catalogues, expert):
    interview = start(expert, EVE)
    login(client, UserFactory(is_staff=True))
    assert client.post(date_url(interview), {"date": "2019-11-15", "version": 1}).status_code == 403
    page = client.get(interview.get_absolute_url()).text
    assert "This interview uses catalogue v1" in page and "interview-date-form" not in page


def test_it_needs_a_post(client, both_catalogues, expert):
    interview = start(expert, EVE)
    login(client, expert.user)
    assert client.get(date_url(interview)).status_code == 405
