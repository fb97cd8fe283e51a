"""The review pages: who may open them, the queue's query count, decisions through HTTP."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import Interview, Label
from benchmarking.selectors.review import approval_preview
from tests.factories import ExpertFactory, InterviewFactory, LabelFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db

ECCP = "https://clustercollaboration.eu/cluster-organisations/test"


@pytest.fixture
def world(reference_data, staff_user, plain_user, expert):
    """A submitted interview by `expert`, an approved one, and a label of the approved one's cluster."""
    interview = answer_all(
        InterviewFactory(status=Interview.Status.SUBMITTED, expert=expert, cluster__eligible=True)
    )
    approved = answer_all(InterviewFactory(status=Interview.Status.APPROVED, expert=expert))
    label = LabelFactory(  # valid today: it can be suspended
        cluster=approved.cluster, source=Label.Source.INTERVIEW, interview=approved,
        valid_from=approved.date, valid_until=approved.date + datetime.timedelta(days=730),
    )  # fmt: skip
    return {
        "interview": interview,
        "approved": approved,
        "label": label,
        "users": {
            "anonymous": None,
            "plain user": plain_user,
            "expert": ExpertFactory().user,
            "interviewing expert": expert.user,
            "staff": staff_user,
        },
    }


def staff_urls(w):
    i, a, label = w["interview"].pk, w["approved"].pk, w["label"]
    return {
        "queue": (reverse("benchmarking:review_queue"), "GET"),
        "review": (reverse("benchmarking:review_interview", args=[i]), "GET"),
        "approve": (reverse("benchmarking:review_approve", args=[i]), "GET POST"),
        "return": (reverse("benchmarking:review_return", args=[i]), "GET POST"),
        "reject": (reverse("benchmarking:review_reject", args=[i]), "GET POST"),
        "reopen": (reverse("benchmarking:review_reopen", args=[a]), "GET POST"),
        "labels": (reverse("benchmarking:label_list"), "GET"),
        "label": (reverse("benchmarking:label_staff", args=[label.code]), "GET"),
        "suspend": (reverse("benchmarking:label_status_change", args=[label.code, "suspend"]), "GET POST"),
        "cluster labels": (reverse("benchmarking:cluster_labels", args=[label.cluster_id]), "GET"),
        "silver": (reverse("benchmarking:silver_audit_new", args=[label.cluster_id]), "GET POST"),
        "gold": (reverse("benchmarking:gold_assessment_new", args=[label.cluster_id]), "GET POST"),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)  # django-axes needs a request for login(); the browser test logs in for real


STAFF_URLS = ["queue", "review", "approve", "return", "reject", "reopen", "labels", "label", "suspend",
              "cluster labels", "silver", "gold"]  # fmt: skip
ROLES = ["anonymous", "plain user", "expert", "interviewing expert", "staff"]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", STAFF_URLS)
def test_the_permission_matrix_of_the_secretariat_pages(client, world, name, role, method):
    url, methods = staff_urls(world)[name]
    login(client, world["users"][role])
    response = client.generic(method, url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role != "staff":
        assert response.status_code == 403
    elif method not in methods:
        assert response.status_code == 405
    else:
        # GET shows the page; an empty POST shows the form again with its errors, changing nothing.
        assert response.status_code in (200, 302) if name == "label" else response.status_code == 200
    world["interview"].refresh_from_db()
    assert world["interview"].status == Interview.Status.SUBMITTED
    assert world["label"].history.count() == 1


PUBLIC_URLS = ["verify", "public", "certificate"]


@pytest.mark.parametrize("method, expected", [("GET", 200), ("POST", 405)])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PUBLIC_URLS)
def test_the_public_label_pages_are_open_to_everybody_for_reading(client, world, name, role, method, expected):
    code = world["label"].code
    url = {
        "verify": reverse("benchmarking:label_verify"),
        "public": reverse("benchmarking:label_public", args=[code]),
        "certificate": reverse("benchmarking:label_certificate", args=[code]),
    }[name]
    login(client, world["users"][role])
    assert client.generic(method, url).status_code == expected


def test_the_interviewing_expert_cannot_approve_even_as_staff(client, world):
    expert_user = world["users"]["interviewing expert"]
    expert_user.is_staff = True
    expert_user.save()
    login(client, expert_user)
    interview = world["interview"]
    page = client.get(reverse("benchmarking:review_interview", args=[interview.pk]))
    assert "four eyes" in page.content.decode()
    response = client.post(reverse("benchmarking:review_approve", args=[interview.pk]), {"version": interview.version})
    assert response.status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED


def test_the_queue_lists_submitted_interviews_oldest_first_with_warnings(client, reference_data, staff_user):
    from django.utils import timezone

    older = answer_all(InterviewFactory(status="submitted", submitted_at=timezone.now() - timezone.timedelta(days=3)))
    newer = answer_all(InterviewFactory(status="submitted", submitted_at=timezone.now()))
    older.answers.filter(indicator__code__in=["B4", "A5"]).update(accepted_warnings=["B4 is above B3."])
    InterviewFactory(status="draft")
    login(client, staff_user)
    response = client.get(reverse("benchmarking:review_queue"))
    assert [i.pk for i in response.context["interviews"]] == [older.pk, newer.pk]
    assert [i.accepted_warning_count for i in response.context["interviews"]] == [2, 0]


def test_the_second_tab_shows_returned_and_recently_decided(client, reference_data, staff_user):
    from django.utils import timezone

    returned = InterviewFactory(status="returned", decided_at=timezone.now())
    rejected = InterviewFactory(status="rejected", decided_at=timezone.now() - timezone.timedelta(days=1))
    InterviewFactory(status="approved", decided_at=timezone.now() - timezone.timedelta(days=400))
    InterviewFactory(status="submitted")
    login(client, staff_user)
    response = client.get(reverse("benchmarking:review_queue"), {"tab": "decided"})
    assert [i.pk for i in response.context["interviews"]] == [returned.pk, rejected.pk]


def test_the_queue_costs_the_same_queries_for_1_or_8_rows(client, reference_data, staff_user):
    # The count is compared between sizes rather than pinned: the nav of base.html (not ours)
    # adds its own queries. Ours: one query on interviews, with the warning count annotated.
    client.force_login(staff_user)
    counts = []
    for rows in (1, 8):
        while Interview.objects.filter(status="submitted").count() < rows:
            answer_all(InterviewFactory(status="submitted"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("benchmarking:review_queue"))
        assert len(response.context["interviews"]) == rows
        counts.append(len(queries))
        assert [q["sql"] for q in queries if 'FROM "benchmarking_interview"' in q["sql"]] != []
        assert len([q for q in queries if '"benchmarking_answer"' in q["sql"]]) == 1
    assert counts[0] == counts[1]


def test_the_review_page_shows_warnings_eligibility_and_the_label(client, world, staff_user):
    interview = world["interview"]
    interview.answers.filter(indicator__code="B4").update(accepted_warnings=["B4 (7) is above B3 (5)."])
    login(client, staff_user)
    html = client.get(reverse("benchmarking:review_interview", args=[interview.pk])).content.decode()
    assert "Warning accepted by the expert:</strong> B4 (7) is above B3 (5)." in html
    assert "Met:" in html and ECCP in html
    preview = approval_preview(interview)
    assert f"<code>{preview.code}</code>" in html
    assert f"{preview.valid_until:%-d %B %Y}" in html


def test_approving_through_the_confirmation_page(client, world, staff_user):
    interview = world["interview"]
    login(client, staff_user)
    confirm = client.get(reverse("benchmarking:review_approve", args=[interview.pk]))
    assert "Approve and recommend the label" in confirm.content.decode()
    response = client.post(reverse("benchmarking:review_approve", args=[interview.pk]), {"version": interview.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("benchmarking:review_interview", args=[interview.pk])
    assert not Label.objects.filter(interview=interview).exists()
    assert interview.label_recommendations.get().is_pending
    page = client.get(response["Location"]).content.decode()
    assert "recommended to the EUCLES board" in page and "Waiting for the board" in page


def test_an_empty_reason_is_shown_next_to_the_field_and_nothing_is_saved(client, world, staff_user):
    interview = world["interview"]
    login(client, staff_user)
    response = client.post(
        reverse("benchmarking:review_reject", args=[interview.pk]), {"version": interview.version, "reason": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'id="error_1_id_reason"' in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED
    assert interview.history.count() == 1


def test_returning_with_comments_per_indicator(client, world, staff_user, django_capture_on_commit_callbacks):
    interview = world["interview"]
    login(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("benchmarking:review_return", args=[interview.pk]),
            {"version": interview.version, "comment": "See B4.", "on_B4": "Above the headcount?"},
        )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.RETURNED
    assert interview.answers.get(indicator__code="B4").review_comment == "Above the headcount?"
    assert len(mail.outbox) == 1


def test_a_stale_page_is_refused_with_a_message(client, world, staff_user):
    interview = world["interview"]
    login(client, staff_user)
    response = client.post(
        reverse("benchmarking:review_reject", args=[interview.pk]), {"version": interview.version + 5, "reason": "x"}
    )
    assert response.status_code == 409
    assert "changed since you opened the page" in response.content.decode()


def test_reopening_through_the_page(client, world, staff_user):
    approved = world["approved"]
    login(client, staff_user)
    response = client.post(
        reverse("benchmarking:review_reopen", args=[approved.pk]), {"version": approved.version, "reason": "Complaint"}
    )
    assert response.status_code == 302
    world["label"].refresh_from_db()
    assert world["label"].status == Label.Status.SUSPENDED


def test_a_staff_user_without_superuser_rights_sees_the_queue(client, reference_data):
    login(client, UserFactory(is_staff=True, is_superuser=False))
    assert client.get(reverse("benchmarking:review_queue")).status_code == 200
