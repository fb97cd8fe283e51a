"""What a new label renews, said on the review page and on the board's card: the label renewed
(Silver: with the audit), or why none is ("last label ... expired ..., more than a year ago")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from benchmarking.models import Interview, Label
from benchmarking.rules.label_terms import first_label_reason
from benchmarking.selectors.review import approval_preview
from benchmarking.services.silver_gold import silver_audit_record
from benchmarking.tests.silver_gold.helpers import REPORT, areas, findings, two_benchmarkings
from tests.factories import ExpertFactory, InterviewFactory, LabelFactory, answer_all, board_member

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate


def submitted_after(label_until: datetime.date, **label_fields) -> Interview:
    interview = answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True))
    LabelFactory(
        cluster=interview.cluster, valid_from=label_until - datetime.timedelta(days=730), valid_until=label_until,
        code="DEU901201705B", **label_fields,
    )  # fmt: skip
    return interview


def test_a_label_expired_years_ago_is_named_as_the_reason_for_a_first_label(reference_data):
    interview = submitted_after(D(2019, 5, 3))
    preview = approval_preview(interview)
    assert preview.renews is None
    assert preview.first_label_reason == (
        f"last label DEU901201705B expired on {date_format(D(2019, 5, 3))}, more than a year ago: a first label"
    )


def test_the_last_day_of_the_renewal_year_still_renews_the_day_after_does_not(reference_data):
    label = LabelFactory(
        benchmarked_on=D(2020, 1, 1), awarded_on=D(2020, 1, 1), valid_from=D(2020, 1, 1), valid_until=D(2022, 1, 1)
    )
    reason = first_label_reason([label], level="bronze", benchmarked_on=D(2023, 1, 2))
    assert "more than a year ago: a first label" in reason
    assert "more than a year ago" not in first_label_reason([label], level="bronze", benchmarked_on=D(2023, 1, 1))


def test_a_withdrawn_label_is_named_as_the_reason_for_a_first_label(reference_data):
    interview = submitted_after(TODAY() + datetime.timedelta(days=100), status=Label.Status.WITHDRAWN)
    assert approval_preview(interview).first_label_reason == (
        "last label DEU901201705B was withdrawn, and a withdrawn label is never renewed: a first label"
    )


def test_a_cluster_without_labels_gets_a_first_label(reference_data):
    interview = answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True))
    assert approval_preview(interview).first_label_reason == "no earlier label: a first label"


def test_the_review_page_says_why_it_renews_nothing(client, reference_data, staff_user):
    interview = submitted_after(D(2019, 5, 3))
    client.force_login(staff_user)
    html = client.get(reverse("benchmarking:review_interview", args=[interview.pk])).content.decode()
    assert "last label DEU901201705B expired on" in html and "no earlier label" not in html


def test_the_board_card_of_a_silver_renewal_names_the_label_and_the_audit(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    silver = LabelFactory(cluster=cluster, level="silver", code="DEU902202110S",
                          benchmarked_on=D(2021, 10, 15), valid_from=D(2021, 10, 15),
                          valid_until=D(2023, 10, 15))  # fmt: skip
    auditor = ExpertFactory(user__first_name="Ana", user__last_name="Auditora")
    from benchmarking.selectors.progress import improved_indicators

    outcome = silver_audit_record(
        cluster=cluster, auditor=auditor, audited_on=D(2023, 10, 1), findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    client.force_login(board_member())
    html = client.get(reverse("benchmarking:board_pending")).content.decode()
    card = html[html.index(f'id="recommendation-{outcome.recommendation.pk}"') :]
    assert "Audited on" in card and "1 October 2023, by Ana Auditora" in card
    assert f"Silver label <code>{silver.code}</code> (valid until 15 October 2023)" in card
    assert "16 October 2023 – 15 October 2026" in card
    assert "Benchmarked on" not in card[: card.index("Recommended by")]


def test_the_board_card_says_plainly_that_a_label_is_over_on_the_decision_day(client, reference_data, staff_user):
    from benchmarking.services.review import interview_approve

    interview = answer_all(
        InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True, date=D(2022, 3, 1))
    )
    recommendation = interview_approve(interview=interview, user=staff_user).recommendation
    client.force_login(board_member())
    html = client.get(reverse("benchmarking:board_recommendation", args=[recommendation.pk])).content.decode()
    assert "Expired on the decision day: the label ended on 1 March 2024" in html
