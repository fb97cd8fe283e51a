"""Capturing one step: validation by kind, soft warnings, conflicts, query counts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarking.models import Answer, Indicator, Interview
from benchmarking.rules.answer_warnings import warning_token
from benchmarking.services.interviews import StaleVersionError, interview_save_step
from benchmarking.tests.interview_helpers import (
    answer_of,
    login,
    post_step,
    step_url,
    valid_step_data,
)
from tests.factories import InterviewFactory


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert)


@pytest.fixture
def owner(client, expert):
    return login(client, expert.user)


def _post(owner, interview, code, **overrides):
    return post_step(owner, interview, code, valid_step_data(interview, code) | overrides)


# --- Saving ------------------------------------------------------------------------------


def test_it_saves_a_step_and_continues_to_the_next(owner, interview):
    data = valid_step_data(interview, "A") | {"continue": "1"}
    response = post_step(owner, interview, "A", data)
    assert response.status_code == 302
    assert response["Location"] == step_url(interview, "B")
    assert interview.answers.count() == 8
    assert answer_of(interview, "A5").parts == dict.fromkeys(
        ["SMEs", "large companies", "universities", "research institutes", "public bodies", "other"], 1
    )
    assert answer_of(interview, "A6").parts["in the region"] == 100
    interview.refresh_from_db()
    assert interview.version == 2


def test_save_and_continue_on_the_last_step_goes_to_the_summary(owner, interview):
    response = post_step(owner, interview, "F", valid_step_data(interview, "F") | {"continue": "1"})
    assert response["Location"] == interview.get_absolute_url()


def test_it_stores_each_kind_in_its_column(owner, interview):
    _post(owner, interview, "B", **{"B8-value": "no", "B4-value": "2.5"})
    assert answer_of(interview, "B8").boolean is False
    assert answer_of(interview, "B4").number == Decimal("2.5")
    assert answer_of(interview, "B1").selected == ["board or steering committee"]
    assert answer_of(interview, "B2").choice == "not involved"


def test_a_reason_replaces_a_value(owner, interview):
    _post(owner, interview, "B")
    response = _post(owner, interview, "B", **{"B1-value": [], "B1-missing_reason": "not_disclosed",
                                                "B4-value": "", "B4-missing_reason": "unknown"})
    assert response.status_code == 302
    b1, b4 = answer_of(interview, "B1"), answer_of(interview, "B4")
    assert (b1.missing_reason, b1.selected) == ("not_disclosed", None)
    assert (b4.missing_reason, b4.number) == ("unknown", None)
    assert Answer.objects.filter(pk=b1.pk, selected__isnull=True).exists()  # SQL NULL, not JSON null


def test_it_refuses_a_value_and_a_reason_together(owner, interview):
    response = _post(owner, interview, "E", **{"E1-missing_reason": "unknown"})
    assert response.status_code == 200
    assert "Give either a value or a reason" in response.text
    assert answer_of(interview, "E1") is None
    assert answer_of(interview, "E2").number == 50  # the rest of the step is saved


def test_it_keeps_a_comment(owner, interview):
    _post(owner, interview, "E", **{"E1-comment": "Estimated by the manager"})
    assert answer_of(interview, "E1").comment == "Estimated by the manager"


# --- Hard errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "field", "value", "message"),
    [
        ("A", "A4-value", "many", "“many” cannot be read as a number here."),
        ("A", "A4-value", "-1", "Must be at least 0."),
        ("A", "A4-value", "2.5", "Enter a whole number."),
        ("A", "A1-value", "2999", "The year cannot be after the interview"),
        ("A", "A1-value", "1700", "Must be at least 1800."),
        ("B", "B5-value", "101", "Must be at most 100."),
        ("B", "B5-value", "-0.5", "Must be at least 0."),
        ("B", "B6-value", "1.23456", "no more than 4 decimal places"),
        ("B", "B6-value", "NaN", "“NaN” cannot be read as a number here."),
        ("C", "C3-value", "11", "Must be at most 10."),
        ("C", "C1-value", "1e400", "“1e400” cannot be read as a number here."),
        ("C", "C1-value", "1" + "0" * 18, "no more than 18 digits in total"),
        ("A", "A5-part_0", "-3", "Must be at least 0."),
        ("A", "A5-part_0", "x", "“x” cannot be read as a number here."),
        ("A", "A6-part_0", "90", "The shares add up to 90\u00a0%; they must add up to 100\u00a0%."),
        ("A", "A6-part_0", "", "Fill in every part"),
        ("A", "A6-part_0", "120", "Must be at most 100."),
        ("A", "A2-value", "cooperative", "Select a valid choice."),
        ("A", "A3-value", ["industry", "aliens"], "Select a valid choice."),
        ("B", "B8-value", "maybe", "Select a valid choice."),
        ("B", "B8-missing_reason", "forgotten", "Select a valid choice."),
    ],
)
def test_it_refuses_a_wrong_value_in_words(owner, interview, code, field, value, message):
    indicator_code = field.split("-")[0]
    response = _post(owner, interview, code, **{field: value})
    assert response.status_code == 200
    assert message in response.text
    assert answer_of(interview, indicator_code) is None
    assert interview.answers.count() == Indicator.objects.filter(category__code=code).count() - 1


def test_shares_within_half_a_point_of_100_are_accepted(owner, interview):
    response = _post(owner, interview, "A", **{"A6-part_0": "70.4", "A6-part_1": "20", "A6-part_2": "10"})
    assert response.status_code == 302
    assert answer_of(interview, "A6").parts == {"in the region": 70.4, "elsewhere in the country": 20, "abroad": 10}


def test_a_rejected_value_never_overwrites_the_stored_one(owner, interview):
    _post(owner, interview, "A")
    response = _post(owner, interview, "A", **{"A4-value": "lots", "A1-value": "1990"})
    assert answer_of(interview, "A4").number == 6  # unchanged
    assert answer_of(interview, "A1").number == 1990  # the rest of the step is saved
    assert 'value="lots"' in response.text  # the expert's input stays in the form
    assert "Saved, except 1 answer" in response.text


def test_the_page_after_a_partial_save_carries_the_new_version(owner, interview):
    response = _post(owner, interview, "E", **{"E1-value": "500"})
    interview.refresh_from_db()
    assert f'name="version" value="{interview.version}"' in response.text


# --- Soft warnings -----------------------------------------------------------------------


def test_it_warns_when_a5_differs_from_a4_and_saves_once_confirmed(owner, interview):
    response = _post(owner, interview, "A", **{"A4-value": "10"})
    message = "The total of A5 (6) differs from A4 (10)."
    assert message in response.text
    assert 'name="A5-confirm"' in response.text
    assert answer_of(interview, "A5") is None
    assert answer_of(interview, "A4").number == 10

    response = _post(owner, interview, "A", **{"A4-value": "10", "A5-confirm": warning_token(message)})
    assert response.status_code == 302
    assert answer_of(interview, "A5").accepted_warnings == [message]

    # Confirmed once is enough: saving the step again does not ask again.
    assert _post(owner, interview, "A", **{"A4-value": "10"}).status_code == 302


def test_a_confirmation_covers_only_the_warning_that_was_shown(owner, interview):
    shown = "The total of A5 (6) differs from A4 (10)."
    response = _post(owner, interview, "A", **{"A4-value": "12", "A5-confirm": warning_token(shown)})
    assert "The total of A5 (6) differs from A4 (12)." in response.text
    assert answer_of(interview, "A5") is None


def test_it_warns_when_b4_is_above_b3_against_the_stored_b3(owner, interview):
    _post(owner, interview, "B")
    response = _post(owner, interview, "B", **{"B4-value": "7.5"})
    assert "B4 (7.5) is above B3 (6)." in response.text
    assert answer_of(interview, "B4").number == 3


def test_it_warns_outside_the_soft_bounds(owner, interview):
    response = _post(owner, interview, "C", **{"C1-value": "5000"})
    # Shown as the reader's language writes numbers, stored (and confirmed) as written plainly.
    assert "5,000 is unusually low for C1 (expected at least 10,000)." in response.text
    token = warning_token("5000 is unusually low for C1 (expected at least 10000).")
    _post(owner, interview, "C", **{"C1-value": "5000", "C1-confirm": token})
    assert answer_of(interview, "C1").number == 5000


def test_the_cross_checks_come_from_the_catalogue_data(owner, interview):
    # Remove the rule from the data: the same input no longer warns.
    Indicator.objects.filter(code="A5").update(cross_check="", cross_check_with=None)
    assert _post(owner, interview, "A", **{"A4-value": "10"}).status_code == 302


# --- Conflicts ---------------------------------------------------------------------------


def test_it_refuses_a_stale_version(owner, interview):
    page_version = interview.version
    _post(owner, interview, "E", **{"E1-value": "70"})  # another tab saves first
    response = post_step(owner, interview, "E", valid_step_data(interview, "E") | {"E1-value": "30"},
                         version=page_version)
    assert response.status_code == 409
    assert "changed in another tab or by another person" in response.text
    assert answer_of(interview, "E1").number == 70  # not overwritten
    assert 'value="30"' in response.text  # the refused input stays visible
    assert "Saved meanwhile by the other save: <strong>70\u00a0%</strong>" in response.text
    interview.refresh_from_db()
    assert f'name="version" value="{interview.version}"' in response.text


def _page_base(client, interview, code: str) -> str:
    page = client.get(step_url(interview, code)).text
    return re.search(r'name="base" value="([^"]*)"', page).group(1)


def test_a_conflict_points_out_only_what_the_other_save_changed(owner, interview):
    _post(owner, interview, "E", **{"E1-value": "10", "E2-value": "20"})
    page_version, base = interview.version, _page_base(owner, interview, "E")
    _post(owner, interview, "E", **{"E1-value": "70", "E2-value": "20"})  # another tab changes E1 only
    mine = valid_step_data(interview, "E") | {"E1-value": "30", "E2-value": "40", "base": base}
    response = post_step(owner, interview, "E", mine, version=page_version)
    assert response.status_code == 409
    cards = {chunk[:2]: chunk for chunk in response.text.split('id="indicator-')[1:]}
    assert "Saved meanwhile by the other save: <strong>70\u00a0%</strong>" in cards["E1"]
    assert "Saved meanwhile" not in cards["E2"]  # 20 % differs from my 40 %, but the other save left it


def test_a_refused_input_can_be_reapplied(owner, interview):
    page_version = interview.version
    _post(owner, interview, "E", **{"E1-value": "70"})
    post_step(owner, interview, "E", valid_step_data(interview, "E") | {"E1-value": "30"}, version=page_version)
    assert _post(owner, interview, "E", **{"E1-value": "30"}).status_code == 302
    assert answer_of(interview, "E1").number == 30


def test_the_service_refuses_a_stale_version(interview, expert):
    indicator = Indicator.objects.get(code="E1")
    fields = {"number": Decimal(1), "boolean": None, "choice": "", "selected": None, "parts": None,
              "missing_reason": "", "comment": "", "accepted_warnings": []}
    interview_save_step(interview=interview, expected_version=1, values={indicator: fields}, user=expert.user)
    with pytest.raises(StaleVersionError) as refused:
        interview_save_step(interview=interview, expected_version=1, values={indicator: fields}, user=expert.user)
    assert (refused.value.expected, refused.value.current) == (1, 2)


@pytest.mark.parametrize("version", ["", "abc", "0", "-1"])
def test_a_missing_or_bad_version_saves_nothing(owner, interview, version):
    response = post_step(owner, interview, "E", valid_step_data(interview, "E"), version=version)
    assert response.status_code == 400
    assert interview.answers.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"E1-value": "x" * 10000},
        {"E1-value": "\x00"},
        {"E1-value": ["1", "2"]},
        {"E3-value": "not a list"},
        {"E1-confirm": "x" * 1000},
        {"A6-part_0": "1" * 40},
    ],
)
def test_bad_input_never_causes_a_server_error(owner, interview, data):
    for code in ("A", "E"):
        response = post_step(owner, interview, code, data)
        assert response.status_code in (200, 302)


# --- Query counts ------------------------------------------------------------------------


def _fields_for(interview, code):
    indicators = Indicator.objects.filter(category__code=code).select_related("cross_check_with")
    return {
        indicator: {"number": None, "boolean": None, "choice": "", "selected": None, "parts": None,
                    "missing_reason": "unknown", "comment": "", "accepted_warnings": []}
        for indicator in indicators
    }


def test_saving_a_step_costs_a_fixed_number_of_queries(interview, expert, django_assert_num_queries):
    other = InterviewFactory(expert=expert)
    few, many = _fields_for(interview, "E"), _fields_for(interview, "B")  # 3 and 10 indicators
    # SAVEPOINT, UPDATE interview version, SELECT the manager's proposals (their sources),
    # SELECT existing answers, INSERT answers, INSERT their history, INSERT the action, RELEASE SAVEPOINT.
    with django_assert_num_queries(8):
        interview_save_step(interview=interview, expected_version=1, values=few, user=expert.user)
    with django_assert_num_queries(8):
        interview_save_step(interview=other, expected_version=1, values=many, user=expert.user)
    # Changing existing answers: the INSERTs become one UPDATE and one history INSERT.
    for fields in many.values():
        fields["missing_reason"] = "not_disclosed"
    with django_assert_num_queries(8):
        interview_save_step(interview=other, expected_version=2, values=many, user=expert.user)


def _count(callable_):
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
    assert response.status_code in (200, 302)
    return len(queries)


def test_saving_a_step_through_the_page_costs_the_same_for_3_or_10_indicators(owner, interview):
    e, b = valid_step_data(interview, "E"), valid_step_data(interview, "B")  # 3 and 10 indicators
    version = interview.version
    few = _count(lambda: owner.post(step_url(interview, "E"), {"version": version, **e}))
    many = _count(lambda: owner.post(step_url(interview, "B"), {"version": version + 1, **b}))
    # session, user, expert profile, interview, categories, indicators, answers; then the save's
    # SAVEPOINT, version UPDATE, proposals SELECT, answers SELECT, answers INSERT, history INSERT,
    # the action's INSERT, RELEASE.
    assert few == many == 15


def test_showing_a_step_costs_a_fixed_number_of_queries(owner, interview, django_assert_num_queries):
    _post(owner, interview, "B")
    _post(owner, interview, "E")
    assert _count(lambda: owner.get(step_url(interview, "E"))) == _count(lambda: owner.get(step_url(interview, "B")))
    # session, user, the user's expert profile, the interview (with cluster, expert, catalogue),
    # the categories, the indicators, the answers, the manager's proposals.
    with django_assert_num_queries(8):
        owner.get(step_url(interview, "B"))


def test_an_interview_keeps_the_catalogue_version_it_started_with(interview):
    assert interview.catalogue.version == "1"
    assert Interview.objects.get(pk=interview.pk).catalogue.is_active
