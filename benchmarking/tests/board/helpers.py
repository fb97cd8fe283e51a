"""Recommendations waiting for the EUCLES board and its decisions, for the board's tests."""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from benchmarking.models import Interview, LabelRecommendation
from benchmarking.services.board import board_decide_one
from benchmarking.services.review import interview_approve
from tests.factories import InterviewFactory, answer_all

TODAY = timezone.localdate
MEETING = "Board meeting 2026-11"


def recommended(staff_user, **interview_fields) -> LabelRecommendation:
    """A submitted, eligible interview approved by the secretariat: its Bronze label waits for the board."""
    interview = answer_all(
        InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True, **interview_fields)
    )
    return interview_approve(interview=interview, user=staff_user).recommendation


def decide(recommendation, user, approve=True, **fields):
    fields = {"decided_on": TODAY(), "meeting": MEETING, "note": "" if approve else "Not convincing"} | fields
    return board_decide_one(recommendation=recommendation, approve=approve, user=user, **fields)


def speaks(user, language):
    from accounts.models import Profile

    Profile.objects.update_or_create(user=user, defaults={"language": language})


def post_batch(client, lines: dict[int, tuple[str, str]]):
    data = {"decided_on": TODAY().isoformat(), "meeting": MEETING}
    for pk, (decision, note) in lines.items():
        data |= {f"decision_{pk}": decision, f"note_{pk}": note}
    return client.post(reverse("benchmarking:board_pending"), data)


def date_in(language, day):
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")
