"""No admin form can create a state the services would refuse.

The test walks every registered ModelAdmin of every app (the project's and the libraries') and
every inline, and asserts that no protected field is editable, nothing protected can be added or
deleted there, and history is never reverted. A model added to the admin, in any app, must be
classified below, or the test fails.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult, get_date_max
from rest_framework.authtoken.models import Token, TokenProxy

from accounts.models import Profile
from activity import actions
from activity.models import ActionLog
from activity.services import log_action
from benchmarking.admin import (
    BASELINE_REQUIREMENT_MEANING_FIELDS,
    GOLD_INDICATOR_MEANING_FIELDS,
    INDICATOR_MEANING_FIELDS,
)
from benchmarking.models import (
    Answer,
    AuditRecommendation,
    BaselineRequirement,
    BaselineRequirementSet,
    Catalogue,
    Category,
    ConflictOfInterest,
    EligibilityCriterion,
    Expert,
    ExpertRecommendation,
    GoldAssessment,
    GoldIndicator,
    GoldIndicatorSet,
    GoldScore,
    ImprovementArea,
    Indicator,
    Interview,
    Label,
    LabelRecommendation,
    LabelReminder,
    RecommendationRule,
    Report,
    RequirementCheck,
    SilverAudit,
)
from clusters.models import Cluster, ComparativePortfolio
from comparisons.models import Comparison, Region, SavedComparison, SizeBand
from exchange.models import ImportedBenchmarking
from tests.factories import ExpertFactory, LabelFactory, UserFactory, approved_interview

pytestmark = pytest.mark.django_db


def all_fields(model) -> set[str]:
    return {f.name for f in model._meta.get_fields() if f.concrete}


# Written only by the services: nothing of them is editable in the admin.
SERVICE_RECORDS = [
    DBTaskResult,  # the task queue: written by the tasks' backend and worker only, read in the admin
    Interview,
    Answer,
    ExpertRecommendation,
    Label,
    SilverAudit,
    RequirementCheck,
    AuditRecommendation,
    ImprovementArea,
    GoldAssessment,
    GoldScore,
    Report,
    LabelReminder,
    LabelRecommendation,
    ActionLog,
    ImportedBenchmarking,
    Comparison,  # every comparison made: written by comparisons.services only, read by the secretariat
]
# Reference data the secretariat edits in the admin (with history where it matters); an
# indicator or category of a catalogue in use keeps its meaning (fields below).
EDITABLE = [
    Catalogue,
    Category,
    Indicator,
    Expert,
    ConflictOfInterest,
    RecommendationRule,
    Cluster,
    ComparativePortfolio,
    GoldIndicatorSet,
    GoldIndicator,
    BaselineRequirementSet,
    BaselineRequirement,
    EligibilityCriterion,
    # The comparisons' data: European regions, size bands, and the standard groups offered to every
    # cluster (a saved comparison with no cluster); none of them is a record of what happened.
    Region,
    SizeBand,
    SavedComparison,
]
# Who may log in and how (accounts, groups, API tokens, language preferences, the log-in
# throttle's records): managed by the secretariat, outside the domain's records.
ACCESS = [get_user_model(), Group, Profile, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog]
IN_USE_FIELDS = {
    Indicator: set(INDICATOR_MEANING_FIELDS),
    Category: {"catalogue", "code", "order"},
    GoldIndicator: set(GOLD_INDICATOR_MEANING_FIELDS),
    GoldIndicatorSet: {"version"},
    BaselineRequirement: set(BASELINE_REQUIREMENT_MEANING_FIELDS),
    BaselineRequirementSet: {"version"},
}


def protected_fields(model) -> set[str]:
    if model in SERVICE_RECORDS:
        return all_fields(model)
    return IN_USE_FIELDS.get(model, set())


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def every_record(reference_data, superuser):
    """One row of every model, the catalogue in use by an approved interview."""
    interview = approved_interview()
    category = Category.objects.filter(catalogue=interview.catalogue).first()
    ExpertRecommendation.objects.create(interview=interview, category=category, text="Grow.")
    label = LabelFactory(  # valid today: it can be suspended
        cluster=interview.cluster, source="interview", interview=interview,
        valid_from=interview.date, valid_until=interview.date + datetime.timedelta(days=730),
    )  # fmt: skip
    requirement = BaselineRequirement.objects.first()
    audit = SilverAudit.objects.create(
        cluster=interview.cluster, auditor_name="A", audited_on=datetime.date(2024, 1, 1), passed=True,
        requirement_set=requirement.requirement_set, report="Fine.", recorded_by=superuser,
    )  # fmt: skip
    RequirementCheck.objects.create(audit=audit, requirement=requirement, met=True)
    AuditRecommendation.objects.create(audit=audit, order=1, text="Measure satisfaction.")
    indicator = Indicator.objects.filter(catalogue=interview.catalogue).first()
    ImprovementArea.objects.create(audit=audit, indicator=indicator, description="Staff")
    gold = GoldAssessment.objects.create(
        cluster=interview.cluster,
        indicator_set=GoldIndicatorSet.objects.get(),
        first_assessor=interview.expert,
        second_assessor=ExpertFactory(),
        assessed_on=datetime.date(2024, 1, 1),
        overall_score=90,
        passed=True,
        recorded_by=superuser,
    )
    GoldScore.objects.create(assessment=gold, indicator=GoldIndicator.objects.first(), score=90)
    Report.objects.create(interview=interview, code="R1", snapshot={})
    LabelReminder.objects.create(label=label, kind="6m")
    RecommendationRule.objects.create(indicator=indicator, condition="below_value", threshold=1, text="Hire.")
    ConflictOfInterest.objects.create(expert=interview.expert, cluster=interview.cluster, reason="Former employee")
    LabelRecommendation.objects.create(
        cluster=interview.cluster, level="bronze", source="interview", benchmarked_on=interview.date,
        interview=interview, recommended_by=superuser,
    )  # fmt: skip
    log_action(action=actions.LABEL_SUSPENDED, obj=label, user=superuser, reason="Under review")
    # The models outside the domain, so that every admin is walked with an object too.
    Group.objects.create(name="Secretariat")
    Profile.objects.create(user=superuser, language="de")
    Token.objects.create(user=superuser)
    ImportedBenchmarking.objects.create(
        interview=interview, report_code="HRV011201301", source_file="a.csv", source_row=2
    )
    attempt = {"user_agent": "pytest", "ip_address": "127.0.0.1", "username": "admin", "http_accept": "*/*"}
    AccessAttempt.objects.create(**attempt, path_info="/accounts/login/", failures_since_start=1)
    AccessLog.objects.create(**attempt, path_info="/accounts/login/")
    AccessFailureLog.objects.create(**attempt, path_info="/accounts/login/", locked_out=False)
    Region.objects.create(name="Central Europe", slug="central-europe", countries=["AT", "CZ"])
    SizeBand.objects.create(measure="members", indicator_code="A4", name="50 to 99", lower=50, upper=100)
    SavedComparison.objects.create(name="Central Europe", filters={"regions": ["central-europe"]})
    Comparison.objects.create(
        cluster=interview.cluster, user=superuser, catalogue=interview.catalogue, created_at=datetime.datetime.now(
            tz=datetime.UTC), outcome="refused", reason="Too small",
    )  # fmt: skip
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="ecei_site.mail.mail_send", backend_name="default",
        run_after=get_date_max(),
    )  # fmt: skip
    return interview


def editable_in(form_class, model) -> set[str]:
    return set(form_class.base_fields) & protected_fields(model)


def test_every_model_in_the_admin_is_classified():
    """Every app's, not only the domain's: a new admin in exchange/ or accounts/ (or a library's)
    fails here until someone decides what it may change."""
    unclassified = [m._meta.label for m in admin.site._registry if m not in SERVICE_RECORDS + EDITABLE + ACCESS]
    assert unclassified == []


def test_no_protected_field_is_editable_in_any_admin_or_inline(every_record, superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    doors = []
    for model, model_admin in admin.site._registry.items():
        obj = model.objects.first()
        assert obj is not None, f"every_record makes no {model._meta.label}: its admin would be walked without one"
        if protected_fields(model):
            if model in SERVICE_RECORDS and model_admin.has_add_permission(request):
                doors.append(f"{model._meta.label}: add")
            if model in SERVICE_RECORDS and model_admin.has_delete_permission(request, obj):
                doors.append(f"{model._meta.label}: delete")
            if model_admin.has_change_permission(request, obj):
                fields = editable_in(model_admin.get_form(request, obj), model)
                doors += [f"{model._meta.label}.{name}" for name in sorted(fields)]
        for inline in model_admin.get_inline_instances(request, obj):
            if not protected_fields(inline.model):
                continue
            where = f"{model._meta.label} inline {inline.model._meta.label}"
            if inline.model in SERVICE_RECORDS and inline.has_add_permission(request, obj):
                doors.append(f"{where}: add")
            if inline.model in SERVICE_RECORDS and inline.has_delete_permission(request, obj):
                doors.append(f"{where}: delete")
            if inline.has_change_permission(request, obj):
                fields = editable_in(inline.get_formset(request, obj).form, inline.model)
                doors += [f"{where}.{name}" for name in sorted(fields)]
    assert doors == []


def test_posting_a_status_to_the_interview_admin_changes_nothing(client, every_record, superuser):
    client.force_login(superuser)
    interview = every_record
    url = reverse("admin:benchmarking_interview_change", args=[interview.pk])
    response = client.post(url, {"status": "draft", "cluster": interview.cluster_id, "date": "2020-01-01"})
    assert response.status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.APPROVED


def test_labels_cannot_be_added_in_the_admin(client, every_record, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:benchmarking_label_add")).status_code == 403
    payload = {"code": "DEU999202401B", "cluster": every_record.cluster_id, "level": "gold"}
    assert client.post(reverse("admin:benchmarking_label_add"), payload).status_code == 403
    assert not Label.objects.filter(code="DEU999202401B").exists()


@pytest.mark.parametrize("model_name", ["label", "interview"])
def test_history_is_never_reverted(client, every_record, superuser, model_name):
    """A revert would save the old row (a status, dates) around the services."""
    client.force_login(superuser)
    label = Label.objects.get()
    from benchmarking.services.labels import label_suspend

    label_suspend(label=label, reason="Evidence under review", user=superuser)
    obj = {"label": label, "interview": every_record}[model_name]
    model = type(obj)
    first = obj.history.order_by("history_id").first()
    url = reverse(f"admin:benchmarking_{model_name}_simple_history", args=[obj.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    label.refresh_from_db()
    assert label.status == Label.Status.SUSPENDED
    assert model.objects.filter(pk=obj.pk).exists()


def test_an_indicator_of_a_catalogue_in_use_keeps_its_kind(client, every_record, superuser):
    client.force_login(superuser)
    indicator = Indicator.objects.get(catalogue=every_record.catalogue, code="D7")
    url = reverse("admin:benchmarking_indicator_change", args=[indicator.pk])
    page = client.get(url).content.decode()
    assert 'name="kind"' not in page and 'name="wording_en"' in page
    # Its wording in each language can still be corrected.
    assert 'name="wording_es"' in page and 'name="unit_de"' in page and 'name="unit_en"' not in page


def test_a_catalogue_without_interviews_is_still_editable(client, reference_data, superuser):
    client.force_login(superuser)
    indicator = Indicator.objects.get(catalogue__version="1", code="D7")
    page = client.get(reverse("admin:benchmarking_indicator_change", args=[indicator.pk])).content.decode()
    assert 'name="kind"' in page


def test_a_silver_audit_cannot_be_recorded_in_the_admin(client, every_record, superuser):
    """Recorded on the label page, where the service checks the rules and awards Silver."""
    client.force_login(superuser)
    assert client.get(reverse("admin:benchmarking_silveraudit_add")).status_code == 403
    assert client.get(reverse("admin:benchmarking_goldassessment_add")).status_code == 403
    page = client.get(reverse("admin:benchmarking_silveraudit_changelist")).content.decode()
    assert reverse("benchmarking:cluster_labels", args=[every_record.cluster_id]) in page


def test_the_interview_admin_links_to_the_review_page(client, every_record, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:benchmarking_interview_changelist")).content.decode()
    assert reverse("benchmarking:review_interview", args=[every_record.pk]) in page


def test_a_gold_set_in_use_keeps_its_thresholds(client, every_record, superuser):
    client.force_login(superuser)
    indicator = GoldIndicator.objects.first()
    page = client.get(reverse("admin:benchmarking_goldindicator_change", args=[indicator.pk])).content.decode()
    assert 'name="threshold"' not in page


def test_every_model_the_secretariat_edits_keeps_a_history_shown_in_the_admin():
    """Who, when, old and new: the model records its history and its admin shows it (never reverts it)."""
    from ecei_site.admin_history import HistoryAdmin

    missing = [
        m._meta.label
        for m in EDITABLE
        if not hasattr(m, "history") or not isinstance(admin.site._registry[m], HistoryAdmin)
    ]
    assert missing == []


def test_a_baseline_set_in_use_keeps_its_requirements(client, every_record, superuser):
    client.force_login(superuser)
    requirement = BaselineRequirement.objects.first()
    page = client.get(reverse("admin:benchmarking_baselinerequirement_change", args=[requirement.pk])).content.decode()
    assert 'name="text_en"' not in page and 'name="text_de"' in page  # its translations can still be corrected
    assert client.get(reverse("admin:benchmarking_baselinerequirement_add")).status_code == 200  # another set


def test_the_silver_audit_admin_shows_the_findings_and_recommendations(client, every_record, superuser):
    client.force_login(superuser)
    audit = SilverAudit.objects.get()
    page = client.get(reverse("admin:benchmarking_silveraudit_change", args=[audit.pk])).content.decode()
    assert "Measure satisfaction." in page and BaselineRequirement.objects.first().text in page
