"""Every indicator kind lives in one class (benchmarking.kinds) and behaves everywhere it is used:
the form takes a value, the Answer holds it, it reads as words, the report compares it."""

import pytest
from django.utils import translation

from benchmarking.demo import answer_fields
from benchmarking.forms.interviews import FORM_CLASSES, IndicatorForm
from benchmarking.kinds import KINDS, MISSING, kind_of
from benchmarking.models import Answer, Indicator
from benchmarking.selectors.interviews import format_answer
from benchmarking.selectors.progress import comparable_value as progress_value
from benchmarking.selectors.reports.peers import comparable_value, is_option_indicator, series_values
from benchmarking.tests.interview_helpers import valid_value
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_kind_is_registered_once():
    assert set(KINDS) == set(Indicator.Kind.values)
    assert all(kind.kind == name for name, kind in KINDS.items())
    assert set(FORM_CLASSES) == set(Indicator.Kind.values)
    assert all(issubclass(form, IndicatorForm) for form in FORM_CLASSES.values())


def row_of(answer: Answer) -> dict:
    return {
        name: getattr(answer, name) for name in ("number", "boolean", "choice", "selected", "parts", "missing_reason")
    }


@pytest.mark.parametrize("kind", Indicator.Kind.values)
def test_each_kind_takes_a_typed_value_and_carries_it_to_the_report(kind, reference_data):
    indicator = Indicator.objects.filter(kind=kind).order_by("pk").first()
    assert indicator is not None, f"catalogue v1 has no {kind} indicator to try it on"
    interview = factories.InterviewFactory()
    with translation.override("en"):
        form = FORM_CLASSES[kind](valid_value(indicator), indicator=indicator, interview=interview)
        assert form.is_valid(), form.errors
        columns = form.value_columns(form.cleaned_data)
        assert columns, "a typed value fills the Answer's columns"
        answer = Answer(indicator=indicator, interview=interview, **columns)
        assert format_answer(indicator, answer), "the answer reads as words"
    value = comparable_value(indicator, row_of(answer))
    assert value is not MISSING
    if is_option_indicator(indicator):
        assert not series_values(indicator, value)
        assert kind_of(indicator).report_options(indicator)
    else:
        assert set(series_values(indicator, value)) <= set(kind_of(indicator).series_names(indicator))
        assert series_values(indicator, value)
    # The demo writes a value of the kind into the same columns the form fills.
    assert set(answer_fields(indicator, next(iter(columns.values())))) == set(columns)
    if kind != Indicator.Kind.SHARES:  # shares have no better or worse
        assert progress_value(indicator, answer) is not None


@pytest.mark.parametrize("kind", Indicator.Kind.values)
def test_a_missing_answer_is_left_out_of_every_statistic(kind, reference_data):
    indicator = Indicator.objects.filter(kind=kind).order_by("pk").first()
    answer = Answer(indicator=indicator, missing_reason=Answer.MissingReason.UNKNOWN)
    assert comparable_value(indicator, row_of(answer)) is MISSING
    assert series_values(indicator, MISSING) == {}
    assert progress_value(indicator, answer) is None
