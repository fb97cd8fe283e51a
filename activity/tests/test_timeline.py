"""The secretariat's timelines on the cluster, interview and label pages: who sees them, what an
entry says (in the reader's language), the filter, the pages, and a flat query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity import actions
from activity.services import log_action
from benchmarking.models import Interview, Label
from benchmarking.services.labels import label_suspend
from tests.factories import ExpertFactory, InterviewFactory, LabelFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db

LONG = (
    "The member list shows 14 companies where the interview counted 41; the figure looks transposed.\n"
    "Suspended until the cluster sends its registry extract, as agreed with its manager by telephone."
)


@pytest.fixture
def world(reference_data, staff_user, expert):
    """An approved interview by `expert` with its label, suspended with a long reason; its cluster's manager."""
    interview = answer_all(InterviewFactory(status=Interview.Status.APPROVED, expert=expert))
    label = LabelFactory(cluster=interview.cluster, source=Label.Source.INTERVIEW, interview=interview,
                         valid_until=datetime.date(2999, 1, 1))  # fmt: skip
    # Awarded by the board (its data names the recommendation, a relation of the label's model).
    log_action(action=actions.LABEL_AWARDED, obj=label, user=None, data={"recommendation": 7, "meeting": "B 12"})
    label_suspend(label=label, reason=LONG, user=staff_user)
    reopened = {"changes": {"status": {"old": "approved", "new": "submitted"}}}
    log_action(action=actions.INTERVIEW_REOPENED, obj=interview, user=staff_user, reason=LONG, data=reopened)
    manager = UserFactory(username="manager")
    interview.cluster.managers.add(manager)
    return {
        "interview": interview,
        "label": label,
        "users": {
            "anonymous": None,
            "expert": ExpertFactory().user,
            "interviewing expert": expert.user,
            "manager": manager,
            "staff": staff_user,
        },
    }


def pages(w) -> dict[str, str]:
    interview, label = w["interview"], w["label"]
    return {
        "cluster": reverse("clusters:detail", args=[interview.cluster.slug]),
        "cluster labels": reverse("benchmarking:cluster_labels", args=[interview.cluster_id]),
        "review": reverse("benchmarking:review_interview", args=[interview.pk]),
        "interview": reverse("benchmarking:interview_detail", args=[interview.pk]),
        "label": reverse("benchmarking:label_staff", args=[label.code]),
    }


# What each role gets on each page; "timeline" is the page with the timeline (staff only).
EXPECTED = {
    "cluster": {"anonymous": 200, "expert": 200, "interviewing expert": 200, "manager": 200},
    "cluster labels": {"anonymous": "login", "expert": 403, "interviewing expert": 403, "manager": 403},
    "review": {"anonymous": "login", "expert": 403, "interviewing expert": 403, "manager": 403},
    "interview": {"anonymous": "login", "expert": 404, "interviewing expert": 200, "manager": 404},
    "label": {"anonymous": "login", "expert": 403, "interviewing expert": 403, "manager": 403},
}


@pytest.mark.parametrize("role", ["anonymous", "expert", "interviewing expert", "manager", "staff"])
@pytest.mark.parametrize("page", list(EXPECTED))
def test_only_the_secretariat_sees_a_timeline(client, world, page, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(pages(world)[page])
    expected = EXPECTED[page].get(role, "timeline")
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == (200 if expected == "timeline" else expected)
    body = response.content.decode()
    assert ('id="timeline"' in body) == (expected == "timeline")
    assert ("Label suspended" in body) == (expected == "timeline")


# The entry each page shows: the label's suspension, or (interview pages) the interview's reopening.
ENTRIES = {
    "cluster": ("label.suspended", "Label suspended", "Active", "Suspended"),
    "cluster labels": ("label.suspended", "Label suspended", "Active", "Suspended"),
    "label": ("label.suspended", "Label suspended", "Active", "Suspended"),
    "review": ("interview.reopened", "Interview reopened", "Approved", "Submitted"),
    "interview": ("interview.reopened", "Interview reopened", "Approved", "Submitted"),
}


@pytest.mark.parametrize("page", list(EXPECTED))
def test_an_entry_says_what_who_when_why_and_the_values(client, world, page):
    code, name, old, new = ENTRIES[page]
    client.force_login(world["users"]["staff"])
    body = client.get(pages(world)[page]).content.decode()
    entry = body[body.index(f'data-action="{code}"') :]
    entry = entry[: entry.index("</li>")]
    assert name in entry and world["users"]["staff"].get_full_name() in entry
    assert "the interview counted 41; the figure looks transposed.<br>" in entry
    assert "as agreed with its manager by telephone." in entry  # the whole reason
    assert f">{old}</span>" in entry and entry.rstrip().endswith(new)  # the old and new status, in words
    assert "<time datetime=" in entry


def test_the_interview_timeline_keeps_to_its_interview_and_the_label_to_its_label(client, world):
    client.force_login(world["users"]["staff"])
    urls = pages(world)
    label_page = client.get(urls["label"]).content.decode()
    assert 'data-action="label.suspended"' in label_page and 'data-action="interview.reopened"' not in label_page
    review_page = client.get(urls["review"]).content.decode()
    assert 'data-action="interview.reopened"' in review_page and 'data-action="label.suspended"' not in review_page
    cluster_page = client.get(urls["cluster labels"]).content.decode()
    assert 'data-action="interview.reopened"' in cluster_page and 'data-action="label.suspended"' in cluster_page


def test_the_timeline_reads_in_the_users_language(client, world):
    client.force_login(world["users"]["staff"])
    body = client.get(pages(world)["label"], HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Verlauf" in body and "Label ausgesetzt" in body and "Alle Aktionen" in body
    assert "Ausgesetzt" in body  # the new status in German
    assert LONG.split("\n")[1] in body  # the reason as written


def test_the_timeline_is_filtered_by_action(client, world):
    client.force_login(world["users"]["staff"])
    url = pages(world)["cluster labels"]
    body = client.get(url, {"action": actions.INTERVIEW_REOPENED}).content.decode()
    assert 'data-action="interview.reopened"' in body and 'data-action="label.suspended"' not in body
    assert '<option value="interview.reopened" selected>' in body
    nothing = client.get(url, {"action": actions.GOLD_ASSESSMENT_RECORDED}).content.decode()
    assert "No action of this kind recorded yet." in nothing


@pytest.mark.parametrize("params", [{"action": "label.painted"}, {"action": "<script>"}, {"timeline_page": "x"}])
def test_a_bad_filter_or_page_shows_the_whole_timeline(client, world, params):
    client.force_login(world["users"]["staff"])
    response = client.get(pages(world)["cluster labels"], params)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-action="interview.reopened"' in body and 'data-action="label.suspended"' in body
    assert ("not one of the list" in body) == ("action" in params)
    assert "<script>" not in body.split('id="timeline"')[1]


def _add_entries(world, n: int) -> None:
    interview = world["interview"]
    for i in range(n):
        user = UserFactory(username=f"reviewer{i}") if i % 2 else None  # a user each, or the system
        log_action(action=actions.INTERVIEW_ANSWERS_SAVED, obj=interview, user=user, data={"indicators": ["A1"]})


def test_a_long_timeline_is_paged_newest_first(client, world):
    _add_entries(world, 25)
    client.force_login(world["users"]["staff"])
    url = pages(world)["review"]
    first = client.get(url).content.decode()
    assert first.count('class="list-group-item timeline-entry"') == 20
    assert "timeline_page=2#timeline" in first and 'data-action="interview.reopened"' not in first
    second = client.get(url, {"timeline_page": 2}).content.decode()
    assert second.count('class="list-group-item timeline-entry"') == 6  # 5 saves and the reopening
    assert 'data-action="interview.reopened"' in second and "the system" in first


@pytest.mark.parametrize("page", list(EXPECTED))
def test_the_query_count_stays_flat_as_entries_grow(client, world, page):
    client.force_login(world["users"]["staff"])
    url = pages(world)[page]
    client.get(url)  # content types and the session warmed up

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    _add_entries(world, 30)
    assert count() == few
