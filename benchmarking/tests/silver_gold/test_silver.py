"""Silver (rules/silver.py, services/silver_gold.silver_audit_record): the window, the baseline,
the date of the audit and renewal."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.models import (
    Label,
    SilverAudit,
)
from benchmarking.rules.dates import add_months
from benchmarking.rules.silver import Finding, silver_window_refusal
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import AuditError, silver_audit_record
from benchmarking.tests.silver_gold.helpers import (
    REPORT,
    D,
    areas,
    audit_form_data,
    findings,
    silver_on,
    two_benchmarkings,
)
from tests.factories import ExpertFactory, approved_interview, board_approves

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "months, days, qualifies",
    [(18, -1, False), (18, 0, True), (21, 0, True), (24, 0, True), (24, 1, False), (30, 0, False)],
)
def test_the_silver_window(months, days, qualifies):
    first = D(2023, 3, 15)
    second = add_months(first, months) + datetime.timedelta(days=days)
    assert (silver_window_refusal(first, second) is None) is qualifies


def test_the_window_comes_from_settings(settings):
    settings.ECEI_SILVER_MIN_MONTHS, settings.ECEI_SILVER_MAX_MONTHS = 12, 13
    assert silver_window_refusal(D(2023, 1, 1), D(2024, 1, 1)) is None
    assert silver_window_refusal(D(2023, 1, 1), D(2024, 3, 1)) is not None


def test_silver_inside_the_window_with_a_passed_audit(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation.history.get().history_user == staff_user
    label = board_approves(outcome.recommendation)
    assert (label.level, label.source, label.silver_audit) == ("silver", "audit", outcome.record)
    assert (label.valid_from, label.valid_until) == (D(2023, 10, 1), D(2025, 10, 1))
    assert label.code.endswith("202310S")
    assert outcome.record.areas.count() == 3


def test_no_silver_outside_the_window(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(26)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2024, 5, 1), findings=findings(), **REPORT,
        areas=areas(list(catalogue.indicators.all())), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation is None
    assert "18 to 24 months" in outcome.reasons[0]
    assert outcome.record.pk  # the audit itself is recorded
    assert not Label.objects.exists()


def test_one_unmet_baseline_requirement_blocks_silver(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings("R05"), **REPORT,
        areas=areas(list(catalogue.indicators.all())), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation is None
    assert outcome.reasons == ["A baseline minimum requirement is not met: R05."]
    assert outcome.record.passed is False


def test_silver_needs_three_different_areas(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    a4 = catalogue.indicators.get(code="A4")
    with pytest.raises(AuditError, match="3 different"):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings(), **REPORT,
            areas=[(a4, "a"), (a4, "b"), (a4, "c")], user=staff_user,
        )  # fmt: skip


@pytest.mark.parametrize("audited_on", [D(2021, 6, 1), D(2023, 7, 9)])
def test_an_audit_before_the_second_benchmarking_is_refused(reference_data, staff_user, audited_on):
    """The issue's case: an audit dated before the benchmarkings earned an already expired Silver label."""
    cluster, first, second = two_benchmarkings(18)
    assert second.date == D(2023, 7, 10)
    with pytest.raises(AuditError, match="on or after the latest benchmarking"):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=audited_on, findings=findings(), **REPORT,
            areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip
    assert not cluster.labels.exists() and not cluster.silver_audits.exists()


def test_an_audit_on_the_day_of_the_second_benchmarking_counts(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(18)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=second.date, findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert outcome.recommendation is not None


def test_an_audit_in_the_future_is_refused_by_the_service(reference_data, staff_user):
    import datetime

    cluster, first, second = two_benchmarkings(18)
    with pytest.raises(AuditError, match="future"):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=datetime.date.today() + datetime.timedelta(days=1),
            findings=findings(), **REPORT, areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip


def test_the_audit_form_shows_the_date_rule_next_to_the_field(client, reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    data = audit_form_data(first, second) | {"audited_on": "2021-01-01"}
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert "on or after the latest benchmarking" in response.context["form"].errors["audited_on"][0]
    assert not cluster.silver_audits.exists()


@pytest.mark.parametrize("unmet, awarded", [((), True), (("R01",), False), (("R12",), False), (("R01", "R02"), False)])
def test_every_baseline_requirement_must_be_met(reference_data, staff_user, unmet, awarded):
    cluster, first, second = two_benchmarkings(20)
    outcome = silver_audit_record(
        cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=findings(*unmet), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    assert (outcome.recommendation is not None) is awarded
    assert outcome.record.passed is awarded
    assert outcome.record.checks.filter(met=False).count() == len(unmet)


@pytest.mark.parametrize(
    "change, message",
    [
        ("drop", "each once"),
        ("twice", "each once"),
        ("no_note", "Say why requirement R04"),
        ("no_report", "Write the audit report"),
        ("no_recommendation", "at least one recommendation"),
    ],
)
def test_an_audit_must_check_every_requirement_and_give_its_report(reference_data, staff_user, change, message):
    cluster, first, second = two_benchmarkings(20)
    checked, fields = findings(), dict(REPORT)
    if change == "drop":
        checked.pop()
    elif change == "twice":
        checked[-1] = checked[0]
    elif change == "no_note":
        checked[3] = Finding(checked[3].requirement, False, "  ")
    elif change == "no_report":
        fields["report"] = " "
    else:
        fields["recommendations"] = ["", "  "]
    with pytest.raises(AuditError, match=message):
        silver_audit_record(
            cluster=cluster, auditor=ExpertFactory(), audited_on=D(2023, 10, 1), findings=checked, **fields,
            areas=areas(improved_indicators(first, second)), user=staff_user,
        )  # fmt: skip
    assert not SilverAudit.objects.exists()


@pytest.mark.parametrize(
    "renewed_on, renews",
    [(D(2025, 10, 1), True), (D(2026, 10, 1), True), (D(2026, 10, 2), False)],
)
def test_silver_is_renewed_like_bronze_up_to_a_year_after_expiry(reference_data, staff_user, renewed_on, renews):
    """A first Silver from 1 Oct 2023 runs to 1 Oct 2025; an audit up to 1 Oct 2026 renews it
    seamlessly (3 years from its end), a later one starts afresh (2 years)."""
    cluster, first, second = two_benchmarkings(20)
    earlier = board_approves(silver_on(cluster, first, second, D(2023, 10, 1), staff_user).recommendation)
    assert earlier.valid_until == D(2025, 10, 1)
    third = approved_interview(cluster=cluster, date=add_months(renewed_on, -20), maturity=0.5, seed=2)
    fourth = approved_interview(cluster=cluster, date=add_months(renewed_on, -1), maturity=0.95, seed=2)
    label = board_approves(silver_on(cluster, third, fourth, renewed_on, staff_user).recommendation)
    if renews:
        assert (label.renews, label.valid_from, label.valid_until) == (earlier, D(2025, 10, 2), D(2028, 10, 1))
    else:
        assert (label.renews, label.valid_from, label.valid_until) == (None, renewed_on, D(2028, 10, 2))


def test_a_second_silver_renewal_ahead_of_its_start_is_refused(reference_data, staff_user):
    cluster, first, second = two_benchmarkings(20)
    board_approves(silver_on(cluster, first, second, D(2023, 10, 1), staff_user).recommendation)
    third = approved_interview(cluster=cluster, date=add_months(second.date, 20), maturity=0.95, seed=2)
    renewal = board_approves(silver_on(cluster, second, third, D(2025, 9, 1), staff_user).recommendation)
    assert (renewal.valid_from, renewal.valid_until) == (D(2025, 10, 2), D(2028, 10, 1))
    outcome = silver_on(cluster, second, third, D(2025, 9, 2), staff_user)
    assert outcome.recommendation is None
    assert any("already renewed" in reason for reason in outcome.reasons)
