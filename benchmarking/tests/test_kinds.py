"""Every indicator kind lives in one class (benchmarking.kinds) and behaves everywhere it is used:
the form takes a value, the Answer holds it, it reads as words, the report compares it, the
exports write it; and adding a kind is one class there (and, for a column of its own, that
column on AnswerValue with its migration).

The tests build their own catalogue, one indicator of every registered kind, rather than rely
on catalogue v1 holding one of each."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from benchmarking.demo import answer_fields
from benchmarking.forms.interviews import SUB_FORMS, IndicatorForm, indicator_form_class
from benchmarking.kinds import (
    EMPTY_VALUE,
    KINDS,
    MISSING,
    VALUE_COLUMNS,
    AnswerKind,
    IntegerKind,
    NumberKind,
    OptionsKind,
    kind_choices,
    kind_of,
    value_columns,
)
from benchmarking.models import Answer, AnswerValue, Catalogue, Category, Indicator, Interview, PeerValue
from benchmarking.models.interviews import value_or_reason
from benchmarking.selectors.interviews import format_answer
from benchmarking.selectors.progress import comparable_value as progress_value
from benchmarking.selectors.reports.peers import comparable_value, is_option_indicator, series_values
from benchmarking.services.interviews import interview_save_step
from benchmarking.services.peer_values import peer_values_refresh
from benchmarking.tests.interview_helpers import valid_value
from exchange.codebook import COLUMNS, codebook_rows
from exchange.variables import decode, encode
from tests import factories

pytestmark = pytest.mark.django_db

# Options or parts for the kinds that have them; counts get six parts of which valid_value fills each with 1.
PARTS = ["SMEs", "large companies", "universities", "research institutes", "public bodies", "others"]


def add_indicator(catalogue: Catalogue, kind: str, code: str) -> Indicator:
    answer_kind = KINDS[kind]
    options = PARTS if answer_kind.has_parts or isinstance(answer_kind, OptionsKind) else []
    return Indicator.objects.create(
        catalogue=catalogue, category=catalogue.categories.get(), code=code, order=int(code[1:]),
        wording=f"A question answered as {kind}", kind=kind, options=options,
    )  # fmt: skip


@pytest.fixture
def catalogue(db) -> Catalogue:
    """A catalogue of its own: one indicator of each registered kind, named after it."""
    catalogue = Catalogue.objects.create(version="kinds", title="Every kind", published_on=datetime.date(2020, 1, 1))
    Category.objects.create(catalogue=catalogue, code="K", title="Kinds")
    for number, kind in enumerate(KINDS, 1):
        add_indicator(catalogue, kind, f"K{number}")
    return catalogue


def indicator_of(catalogue: Catalogue, kind: str) -> Indicator:
    return catalogue.indicators.get(kind=kind)


@pytest.fixture
def interview(catalogue) -> Interview:
    return factories.InterviewFactory(catalogue=catalogue)


def test_every_kind_is_registered_once():
    assert set(KINDS) == set(Indicator.Kind.values)
    assert [(member.name, member.value, member.label) for member in Indicator.Kind] == [
        (name, value, label) for name, (value, label) in kind_choices()
    ]
    assert all(kind.kind == name for name, kind in KINDS.items())
    assert all(issubclass(SUB_FORMS[kind.form_name], IndicatorForm) for kind in KINDS.values())
    assert all(kind.column in VALUE_COLUMNS for kind in KINDS.values())
    assert max(len(name) for name in KINDS) <= Indicator._meta.get_field("kind").max_length


def test_the_value_columns_are_the_kinds_columns_on_the_answer():
    """Each column a kind names is a field of AnswerValue; the empty answer holds none of them."""
    assert VALUE_COLUMNS == ("number", "boolean", "choice", "selected", "parts")
    for column, empty in EMPTY_VALUE.items():
        field = AnswerValue._meta.get_field(column)
        assert field.null == (empty is None), column
    assert not Answer(**EMPTY_VALUE).is_answered


def row_of(answer: Answer) -> dict:
    return {name: getattr(answer, name) for name in (*VALUE_COLUMNS, "missing_reason")}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_takes_a_typed_value_and_carries_it_to_the_report(kind, catalogue, interview):
    indicator = indicator_of(catalogue, kind)
    with translation.override("en"):
        form = indicator_form_class(indicator)(valid_value(indicator), indicator=indicator, interview=interview)
        assert form.is_valid(), form.errors
        columns = form.value_columns(form.cleaned_data)
        assert list(columns) == [kind_of(indicator).column], "a typed value fills the kind's column"
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


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_missing_answer_is_left_out_of_every_statistic(kind, catalogue):
    indicator = indicator_of(catalogue, kind)
    answer = Answer(indicator=indicator, missing_reason=Answer.MissingReason.UNKNOWN)
    assert comparable_value(indicator, row_of(answer)) is MISSING
    assert series_values(indicator, MISSING) == {}
    assert progress_value(indicator, answer) is None


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_goes_out_to_the_export_and_back(kind, catalogue, interview):
    """The analysis export writes an answer as cells that the legacy import reads as the same input."""
    indicator = indicator_of(catalogue, kind)
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


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_prints_its_own_sheet(kind, catalogue, interview):
    """The printed questionnaire includes the template the kind names, and no other kind's."""
    from benchmarking.documents.questionnaire_print import printed_item

    indicator = indicator_of(catalogue, kind)
    steps = [(indicator.category, [printed_item(indicator, None)])]
    with translation.override("en"):
        sheet = render_to_string(
            "benchmarking/questionnaire/_sheet.html", {"interview": interview, "catalogue": catalogue, "steps": steps}
        )
    own = render_to_string(
        kind_of(indicator).sheet_template,
        {"item": printed_item(indicator, None), "indicator": indicator, "kind": kind_of(indicator)},
    )
    assert own.strip() and own.strip() in sheet


# --- Adding a kind is one class ---------------------------------------------------------------


class StarsKind(IntegerKind):
    """A throwaway kind: a rating from one to five stars, with bounds of its own."""

    kind = "stars"
    bounds = (Decimal(1), Decimal(5))

    def unit(self, indicator):
        return "stars"


class ScoreKind(NumberKind):
    """A throwaway kind with a form of its own: a score from 0 to 10 ticked as one of eleven radio
    buttons, kept in the number column. Its name is longer than Indicator.kind's old ten characters."""

    kind = "score_out_of_ten"
    label = "Score (0 to 10)"
    form_name = "ChoiceForm"  # radio buttons in a row

    def form_fields(self, indicator):
        return {
            "value": forms.TypedChoiceField(
                label="Score", choices=[(str(n), str(n)) for n in range(11)], coerce=Decimal, empty_value=None,
                required=False, widget=forms.RadioSelect,
            )
        }  # fmt: skip

    def form_initial(self, indicator, answer):
        return {"value": "" if answer.number is None else str(int(answer.number))}

    def format(self, indicator, answer):
        return "" if answer.number is None else f"{answer.number:.0f}/10"


def register(monkeypatch, kind: AnswerKind, catalogue: Catalogue, code: str) -> Indicator:
    """An indicator of a kind that exists only in this test, registered as a new kind would be."""
    monkeypatch.setitem(KINDS, kind.kind, kind)
    return add_indicator(catalogue, kind.kind, code)


def test_a_new_kind_is_one_class_in_the_registry(monkeypatch, catalogue, interview):
    from benchmarking.documents.questionnaire_print import printed_item

    stars = register(monkeypatch, StarsKind(), catalogue, "K99")
    form_class = indicator_form_class(stars)
    assert not form_class({"K99-value": "6"}, indicator=stars, interview=interview).is_valid()  # its own bound
    form = form_class({"K99-value": "4"}, indicator=stars, interview=interview)
    assert form.is_valid(), form.errors
    answer = Answer(indicator=stars, interview=interview, **form.value_columns(form.cleaned_data))
    with translation.override("en"):
        assert format_answer(stars, answer) == "4\u00a0stars"
    row = row_of(answer)
    assert series_values(stars, comparable_value(stars, row)) == {"": 4.0}
    assert progress_value(stars, answer) == 4
    assert decode(stars, encode(stars, answer)) == {"value": "4"}
    codebook = next(dict(zip(COLUMNS, r, strict=True)) for r in codebook_rows(stars.catalogue) if r[0] == "K99")
    assert (codebook["kind"], codebook["unit"], codebook["min"], codebook["max"]) == ("stars", "stars", "1", "5")
    steps = [(stars.category, [printed_item(stars, None)])]  # printed blank: no proposal
    sheet = render_to_string(
        "benchmarking/questionnaire/_sheet.html", {"interview": interview, "catalogue": stars.catalogue, "steps": steps}
    )
    assert re.search(r'<p class="q-line">Value: <span class="q-blank-line"></span> stars</p>', sheet)


def test_a_kind_with_its_own_form_field_reuses_a_column_end_to_end(monkeypatch, catalogue, interview):
    """One class: its radio buttons take the score, the service saves it in the number column,
    the report compares it and the stored peer values carry it."""
    score = register(monkeypatch, ScoreKind(), catalogue, "K98")
    score.refresh_from_db()
    assert score.kind == "score_out_of_ten"  # fits Indicator.kind (PostgreSQL checks the length)
    form = indicator_form_class(score)({"K98-value": "7"}, indicator=score, interview=interview)
    with translation.override("en"):
        card = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    assert len(re.findall(r'type="radio"[^>]*name="K98-value"', card)) == 11
    assert form.is_valid(), form.errors
    form.check_warnings(None)
    assert form.is_saveable
    interview_save_step(
        interview=interview, expected_version=interview.version, values={score: form.answer_fields()},
        user=interview.expert.user,
    )  # fmt: skip
    answer = Answer.objects.get(interview=interview, indicator=score)
    assert answer.number == 7 and answer.boolean is None and answer.choice == ""
    assert format_answer(score, answer) == "7/10"
    assert series_values(score, comparable_value(score, row_of(answer))) == {"": 7.0}
    assert progress_value(score, answer) == 7
    again = indicator_form_class(score)(indicator=score, interview=interview, answer=answer)
    assert again.initial["value"] == "7"
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.APPROVED)
    peer_values_refresh([interview.cluster_id])
    stored = PeerValue.objects.get(cluster=interview.cluster, indicator=score, role=PeerValue.Role.NUMBER)
    assert stored.number == 7.0


class DateKind(AnswerKind):
    """A "date" kind: a day, in a column of its own (`date`). Only its class and its column.

    For real it also needs `date = models.DateField(null=True, blank=True)` on
    benchmarking.models.AnswerValue and the migration makemigrations writes for it (Answer,
    Proposal and their histories get the column): this test cannot add a column to the test
    database, so it shows the rest, which reads the registry."""

    kind = "date"
    label = "Date"
    column = "date"
    form_name = "FieldForm"  # its field as it renders

    def form_fields(self, indicator):
        return {"value": forms.DateField(label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}))}

    def comparable(self, indicator, row):
        return MISSING if row[self.column] is None else row[self.column].toordinal()

    def series(self, indicator, value):
        return {"": value}

    def series_names(self, indicator):
        return [""]

    def format(self, indicator, answer):
        value = getattr(answer, self.column)
        return "" if value is None else value.isoformat()

    def cells(self, indicator, answer):
        return [self.format(indicator, answer)]


def test_a_date_kind_needs_only_its_class_and_its_column():
    kinds = {**KINDS, DateKind.kind: DateKind()}
    columns = value_columns(kinds)
    assert list(columns) == [*VALUE_COLUMNS, "date"] and columns["date"] is None
    assert ("DATE", ("date", "Date")) in kind_choices(kinds)
    # "A value or a reason": the constraint names the new column too.
    constraint = value_or_reason("answer_value_or_missing_reason", columns)
    assert ("date__isnull", True) in constraint.condition.children[1].children
    # The form takes a date, and the answer reads as one.
    indicator = Indicator(code="D1", kind="date", wording="Founded on", unit="")
    interview = Interview(date=datetime.date(2024, 5, 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(KINDS, "date", DateKind())
        form = indicator_form_class(indicator)({"D1-value": "2019-11-15"}, indicator=indicator, interview=interview)
        assert form.is_valid(), form.errors
        assert form.value_columns(form.cleaned_data) == {"date": datetime.date(2019, 11, 15)}
        answer = type("AnswerWithADate", (), {**EMPTY_VALUE, "date": datetime.date(2019, 11, 15), "missing_reason": ""})
        assert format_answer(indicator, answer) == "2019-11-15"
        assert series_values(indicator, comparable_value(indicator, row_of(answer) | {"date": answer.date}))


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
# What would write out the list of value columns: three of them quoted within a few lines
# (a tuple of columns, a dict of empty values, the fields of a form, an admin or the API).
_QUOTED_COLUMN = re.compile(rf"[\"']({'|'.join(VALUE_COLUMNS)})[\"']")
COLUMNS_WITHIN = 160  # characters


def lists_the_value_columns(text: str) -> list[int]:
    """The offsets where three different value columns are quoted within COLUMNS_WITHIN characters."""
    found = [(m.start(), m.group(1)) for m in _QUOTED_COLUMN.finditer(text)]
    return [
        start
        for i, (start, _name) in enumerate(found)
        if len({name for offset, name in found[i:] if offset - start <= COLUMNS_WITHIN}) >= 3
    ]


SOURCE_FOLDERS = ["accounts", "api", "benchmarking", "clusters", "ecei_site", "exchange", "templates", "static/js"]


def source_files():
    """Python, templates and the script, outside the registry, migrations, tests and vendored code."""
    root = Path(settings.BASE_DIR)
    registry = root / "benchmarking" / "kinds"
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in {".py", ".html", ".txt", ".js"} or registry in path.parents:
                continue
            if {"migrations", "tests", "vendor"} & set(path.relative_to(root).parts):
                continue
            yield path.relative_to(root), path.read_text(encoding="utf-8")


def test_no_module_outside_the_registry_names_a_kind():
    """A kind's behaviour is asked of its class (kind_of), never decided by naming the kind, in
    Python, templates and the script. Migrations and tests may name kinds."""
    found = []
    for path, text in source_files():
        for number, line in enumerate(text.splitlines(), 1):
            if NAMES_A_KIND.search(line):
                found.append(f"{path}:{number}: {line.strip()}")
    assert not found, "ask benchmarking.kinds instead:\n" + "\n".join(found)


def test_no_module_outside_the_registry_writes_out_the_value_columns():
    """The answer's value columns are the kinds' (benchmarking.kinds.VALUE_COLUMNS, EMPTY_VALUE):
    a module that lists them reads them there, so a kind's new column reaches every list."""
    found = []
    for path, text in source_files():
        for offset in lists_the_value_columns(text):
            number = text.count("\n", 0, offset) + 1
            found.append(f"{path}:{number}: {text.splitlines()[number - 1].strip()}")
    assert not found, "read benchmarking.kinds.VALUE_COLUMNS instead:\n" + "\n".join(found)


def test_the_scan_finds_a_written_out_list():
    assert lists_the_value_columns('FIELDS = ("number", "boolean", "choice", "selected", "parts")')
    assert lists_the_value_columns('{"number": None,\n "boolean": None,\n "choice": ""}')
    assert not lists_the_value_columns('if fields.get("parts"): total = fields["parts"]')
