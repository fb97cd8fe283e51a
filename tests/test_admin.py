"""The Django admin: every model's changelist works and its query count does not grow."""

import datetime

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import (
    Catalogue,
    Indicator,
    Interview,
    Label,
    LabelReminder,
    RecommendationRule,
    Report,
    SilverAudit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in {"clusters", "benchmarking", "auth"}),
    key=lambda m: m._meta.label,
)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def add_rows(count: int, user, seed: int):
    """More of every kind of row: synthetic clusters with interviews, labels, experts, and the rest."""
    call_command(
        "seed_demo", clusters=count, experts=count, seed=seed, force=True, verbosity=0, stdout=open("/dev/null", "w")
    )
    indicator = Indicator.objects.get(catalogue=Catalogue.objects.current(), code="B4")
    for label in Label.objects.order_by("-pk")[:count]:
        audit = SilverAudit.objects.create(
            cluster=label.cluster,
            auditor_name="A. Auditor",
            audited_on=datetime.date(2024, 1, 1),
            passed=True,
            recorded_by=user,
        )
        audit.areas.create(indicator=indicator, description="More staff")
        LabelReminder.objects.get_or_create(label=label, kind="6m", defaults={"recipients": "x@example.org"})
        RecommendationRule.objects.create(indicator=indicator, condition="below_value", threshold=1, text="Hire.")
    for interview in Interview.objects.filter(status="approved").order_by("-pk")[:count]:
        Report.objects.get_or_create(
            interview=interview, version=1, defaults={"code": f"R{interview.pk:06d}", "snapshot": {}, "issued_by": user}
        )


def changelist_queries(client, model) -> int:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_changelist_keeps_its_query_count_as_rows_grow(client, reference_data, superuser):
    assert len(ADMIN_MODELS) >= 17
    client.force_login(superuser)
    add_rows(3, superuser, seed=1)
    before = {model: changelist_queries(client, model) for model in ADMIN_MODELS}
    add_rows(12, superuser, seed=2)
    after = {model: changelist_queries(client, model) for model in ADMIN_MODELS}
    grown = {m._meta.label: (before[m], after[m]) for m in ADMIN_MODELS if after[m] != before[m]}
    assert grown == {}


def test_the_catalogue_page_shows_its_categories_and_indicators_in_place(client, catalogue, superuser):
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:benchmarking_catalogue_change", args=[catalogue.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('name="indicators-') > 36 * 5
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == 6
    assert response.context["inline_admin_formsets"][1].formset.total_form_count() == 36
    assert len(queries) < 30  # the category and cross-check selects are queried once, not per row


def test_an_interview_shows_its_answers_in_catalogue_order(client, reference_data, superuser):
    from tests.factories import approved_interview

    interview = approved_interview()
    client.force_login(superuser)
    response = client.get(reverse("admin:benchmarking_interview_change", args=[interview.pk]))
    assert response.status_code == 200
    answers = response.context["inline_admin_formsets"][0].formset.queryset
    assert [a.indicator.code for a in answers][:9] == ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "B1"]
    assert len(answers) == 36


def test_the_admin_refuses_to_delete_a_label(client, reference_data, superuser):
    from tests.factories import LabelFactory

    label = LabelFactory()
    client.force_login(superuser)
    response = client.post(reverse("admin:benchmarking_label_delete", args=[label.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Label.objects.filter(pk=label.pk).exists()


def test_suspending_labels_in_the_admin_asks_for_a_reason(client, reference_data, superuser):
    from tests.factories import LabelFactory

    label = LabelFactory(valid_until=datetime.date(2099, 1, 1))
    client.force_login(superuser)
    url = reverse("admin:benchmarking_label_changelist")
    data = {"action": "suspended_labels", "_selected_action": [label.pk]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Reason" in response.content.decode()
    label.refresh_from_db()
    assert label.status == "active"

    response = client.post(url, {**data, "apply": "1", "reason": "Cluster management dissolved"})
    assert response.status_code == 302
    label.refresh_from_db()
    assert (label.status, label.status_reason) == ("suspended", "Cluster management dissolved")
    assert label.history.latest().history_user == superuser


def test_the_admin_requires_staff(client, reference_data):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:benchmarking_label_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_catalogue_versions_are_listed_with_counts(client, catalogue, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:benchmarking_catalogue_changelist"))
    row = response.context["cl"].result_list.get(pk=catalogue.pk)
    assert row.indicator_count == 36
    assert Catalogue.objects.count() == 1


def interview_change_queries(client, interview) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:benchmarking_interview_change", args=[interview.pk]))
    assert response.status_code == 200
    return len(queries)


def test_an_interview_costs_the_same_queries_with_6_or_36_answers(client, reference_data, superuser):
    from tests.factories import approved_interview

    client.force_login(superuser)
    few = approved_interview()
    few.answers.exclude(indicator__category__code="A").delete()
    many = approved_interview(seed=2)
    assert (few.answers.count(), many.answers.count()) == (8, 36)
    interview_change_queries(client, few)  # once first: per-process caches (content types)

    assert interview_change_queries(client, few) == interview_change_queries(client, many)


def test_an_interview_costs_the_same_queries_with_1_or_6_recommendations_and_more_interviews(
    client, reference_data, superuser
):
    """The recommendations inline names each one's category: read with them, not one query each."""
    from benchmarking.models import Category, ExpertRecommendation
    from tests.factories import approved_interview

    client.force_login(superuser)
    one, six = approved_interview(), approved_interview(seed=2)
    categories = list(Category.objects.filter(catalogue=one.catalogue).order_by("order"))
    ExpertRecommendation.objects.create(interview=one, category=categories[0], text="Write a strategy.")
    for category in categories:
        ExpertRecommendation.objects.create(interview=six, category=category, text=f"About {category.code}.")
    interview_change_queries(client, one)  # once first: per-process caches (content types)
    before = interview_change_queries(client, one)

    for seed in range(3, 6):
        approved_interview(seed=seed)
    assert interview_change_queries(client, six) == before
