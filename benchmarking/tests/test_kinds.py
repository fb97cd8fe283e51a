"""Every indicator kind lives in one class (benchmarking.kinds) and behaves everywhere it is used:
the form takes a value, the Answer holds it, it reads as words, the report compares it, the
exports write it; and adding a kind is one class there."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from benchmarking.demo import answer_fields
from benchmarking.forms.interviews import SUB_FORMS, IndicatorForm, indicator_form_class
from benchmarking.kinds import KINDS, MISSING, IntegerKind, kind_of
from benchmarking.models import Answer, Indicator
from benchmarking.selectors.interviews import format_answer
from benchmarking.selectors.progress import comparable_value as progress_value
from benchmarking.selectors.reports.peers import comparable_value, is_option_indicator, series_values
from benchmarking.tests.interview_helpers import valid_value
from exchange.codebook import COLUMNS, codebook_rows
from exchange.variables import decode, encode
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_kind_is_registered_once():
    assert set(KINDS) == set(Indicator.Kind.values)
    assert all(kind.kind == name for name, kind in KINDS.items())
    assert all(issubclass(SUB_FORMS[kind.form_name], IndicatorForm) for kind in KINDS.values())


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
        form = indicator_form_class(indicator)(valid_value(indicator), indicator=indicator, interview=interview)
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


@pytest.mark.parametrize("kind", Indicator.Kind.values)
def test_each_kind_goes_out_to_the_export_and_back(kind, reference_data):
    """The analysis export writes an answer as cells that the legacy import reads as the same input."""
    indicator = Indicator.objects.filter(kind=kind).order_by("pk").first()
    interview = factories.InterviewFactory()
    form = indicator_form_class(indicator)(valid_value(indicator), indicator=indicator, interview=interview)
    assert form.is_valid(), form.errors
    answer = Answer(indicator=indicator, **form.value_columns(form.cleaned_data))
    typed_again = decode(indicator, encode(indicator, answer))
    again = indicator_form_class(indicator)(
        {f"{indicator.code}-{name}": value for name, value in typed_again.items()}, indicator=indicator,
        interview=interview,
    )
    assert again.is_valid(), again.errors
    assert again.value_columns(again.cleaned_data) == form.value_columns(form.cleaned_data)


# --- Adding a kind is one class ---------------------------------------------------------------


class StarsKind(IntegerKind):
    """A throwaway kind: a rating from one to five stars, with bounds of its own."""

    kind = "stars"
    bounds = (Decimal(1), Decimal(5))

    def unit(self, indicator):
        return "stars"


@pytest.fixture
def stars(reference_data, monkeypatch):
    """An indicator of a kind that exists only in this test, registered as a new kind would be."""
    monkeypatch.setitem(KINDS, StarsKind.kind, StarsKind())
    indicator = Indicator.objects.filter(kind=Indicator.Kind.INTEGER).order_by("pk").first()
    indicator.pk, indicator.code, indicator.kind = None, "A99", StarsKind.kind
    indicator.min_value = indicator.max_value = indicator.soft_min = indicator.soft_max = None
    indicator.cross_check, indicator.cross_check_with, indicator.compares_with = "", None, None
    indicator.save()
    return indicator


def test_a_new_kind_is_one_class_in_the_registry(stars):
    from benchmarking.services.questionnaire_print import printed_item

    interview = factories.InterviewFactory()
    form_class = indicator_form_class(stars)
    assert not form_class({"A99-value": "6"}, indicator=stars, interview=interview).is_valid()  # its own bound
    form = form_class({"A99-value": "4"}, indicator=stars, interview=interview)
    assert form.is_valid(), form.errors
    answer = Answer(indicator=stars, interview=interview, **form.value_columns(form.cleaned_data))
    with translation.override("en"):
        assert format_answer(stars, answer) == "4\u00a0stars"
    row = row_of(answer)
    assert series_values(stars, comparable_value(stars, row)) == {"": 4.0}
    assert progress_value(stars, answer) == 4
    assert decode(stars, encode(stars, answer)) == {"value": "4"}
    codebook = next(dict(zip(COLUMNS, r, strict=True)) for r in codebook_rows(stars.catalogue) if r[0] == "A99")
    assert (codebook["kind"], codebook["unit"], codebook["min"], codebook["max"]) == ("stars", "stars", "1", "5")
    steps = [(stars.category, [printed_item(stars, None)])]  # printed blank: no proposal
    sheet = render_to_string(
        "benchmarking/questionnaire/_sheet.html", {"interview": interview, "catalogue": stars.catalogue, "steps": steps}
    )
    assert re.search(r'<p class="q-line">Value: <span class="q-blank-line"></span> stars</p>', sheet)


# What would name one kind in particular: its member (Kind.SHARES), or its value compared
# ("== 'shares'", data-kind=shares in the script or a template).
_KIND_NAMES = "|".join(Indicator.Kind.names)
_KIND_VALUES = "|".join(Indicator.Kind.values)
NAMES_A_KIND = re.compile(
    rf"\bKind\.({_KIND_NAMES})\b"
    rf"|(==|!=)=?\s*[\"']({_KIND_VALUES})[\"']"
    rf"|[\"']({_KIND_VALUES})[\"']\s*(==|!=|in\b)"
    r"|data-kind|dataset\.kind"
)


SOURCE_FOLDERS = ["accounts", "api", "benchmarking", "clusters", "ecei_site", "exchange", "templates", "static/js"]


def test_no_module_outside_the_registry_names_a_kind():
    """A kind's behaviour is asked of its class (kind_of), never decided by naming the kind, in
    Python, templates and the script. Migrations and tests may name kinds."""
    root = Path(settings.BASE_DIR)
    found = []
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in {".py", ".html", ".txt", ".js"} or path.name == "kinds.py":
                continue
            if {"migrations", "tests", "vendor"} & set(path.relative_to(root).parts):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if NAMES_A_KIND.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "ask benchmarking.kinds instead:\n" + "\n".join(found)
