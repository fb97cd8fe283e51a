"""Figures and typed numbers in each language (issue 24, items 7 and 8): the interview form reads
the language's own grouping and refuses what is ambiguous; answers and warnings are written
as the language writes numbers; reports round half up, years whole, and a report issued
before the rule keeps its text."""

import copy
import re
from decimal import Decimal

import pytest
from django.utils import translation

from benchmarking import report_layout
from benchmarking.documents.report_pdf import report_pdf_html
from benchmarking.models import Report
from benchmarking.selectors.reports.snapshot import SNAPSHOT_SCHEMA
from benchmarking.services.reports import report_issue
from benchmarking.tests.interview_helpers import answer_of, login, post_step, valid_step_data
from clusters.models import ComparativePortfolio
from tests import factories
from tests.factories import InterviewFactory


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert)


@pytest.fixture
def owner(client, expert):
    return login(client, expert.user)


def _post(owner, interview, language, **overrides):
    data = valid_step_data(interview, "C") | overrides
    return post_step(owner, interview, "C", data, HTTP_ACCEPT_LANGUAGE=language)


# --- Typing a number --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en-gb", "350,000"),
        ("en-gb", "350 000"),
        ("de", "350.000"),
        ("de", "350\u00a0000"),
        ("es", "350\u00a0000"),
        ("es", "350.000"),
    ],
)
def test_the_form_reads_the_languages_own_grouping(owner, interview, language, typed):
    response = _post(owner, interview, language, **{"C1-value": typed})
    assert response.status_code == 302
    assert answer_of(interview, "C1").number == Decimal(350000)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("en-gb", "1,5", "“1,5” cannot be read as a number here."),
        ("en-gb", "350.000", "“350.000” could mean 350 (with decimals) or 350\u00a0000 (in thousands)."),
        ("de", "350,000", "„350,000“ könnte 350 (mit Nachkommastellen) oder 350\u00a0000 (in Tausendern) bedeuten."),
        ("es", "1.5", "«1.5» no se puede leer aquí como un número."),
    ],
)
def test_an_ambiguous_number_is_refused_next_to_its_field_and_nothing_is_saved(
    owner, interview, language, typed, message
):
    response = _post(owner, interview, language, **{"C1-value": typed})
    assert response.status_code == 200
    card = re.search(r'id="indicator-C1".*?id="indicator-C2"', response.text, re.S).group(0)
    assert message in card.replace("&nbsp;", "\u00a0")
    assert "invalid-feedback" in card
    assert answer_of(interview, "C1") is None  # the step's other answers are saved, this one is not


def test_a_decimal_comma_is_read_in_german_and_a_stored_value_is_offered_as_german_writes_it(owner, interview):
    assert _post(owner, interview, "de", **{"C3-value": "2,5"}).status_code == 302
    assert answer_of(interview, "C3").number == Decimal("2.5")
    page = owner.get(f"/interviews/{interview.pk}/step/C/", HTTP_ACCEPT_LANGUAGE="de")
    assert re.search(r'name="C3-value" value="2,5"', page.text)


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        ("en-gb", "5,000 is unusually low for C1 (expected at least 10,000)."),
        ("de", "5.000 ist für C1 ungewöhnlich niedrig (erwartet mindestens 10.000)."),
        ("es", "5\u00a0000 es inusualmente bajo para C1 (se esperaba al menos 10\u00a0000)."),
    ],
)
def test_a_warning_writes_its_numbers_as_the_language_does(owner, interview, language, warning):
    response = _post(owner, interview, language, **{"C1-value": "5000"})
    assert warning in response.text.replace("&nbsp;", "\u00a0")


@pytest.mark.parametrize(
    ("language", "money"),
    [("en-gb", "350,000\u00a0EUR"), ("de", "350.000\u00a0EUR"), ("es", "350\u00a0000\u00a0EUR")],
)
def test_an_answer_is_grouped_but_a_year_is_not(owner, interview, language, money):
    _post(owner, interview, "en-gb", **{"C1-value": "350000"})
    post_step(owner, interview, "A", valid_step_data(interview, "A") | {"A1-value": "1997"})
    page = owner.get(interview.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).text.replace("&nbsp;", "\u00a0")
    assert money in page
    assert "1,997" not in page and "1.997" not in page


# --- Figures of a report ----------------------------------------------------------------------


def _snapshot(schema: int) -> dict:
    """A report's snapshot with one decimal indicator and one year indicator, at the edges."""
    stats = {"n": 8, "missing": 0, "q1": 4.175, "median": 19.025, "q3": 1234.565, "rank": 12.5}
    years = {"n": 8, "missing": 0, "q1": 1994.5, "median": 2004.25, "q3": 2010.75, "rank": 37.5}

    def entry(code, kind, own, group_stats):
        series = [{"name": "", "label": "", "own": own, "groups": {"portfolio": group_stats}}]
        return {"code": code, "wording": code, "kind": kind, "unit": "", "direction": "higher", "own": str(own),
                "own_missing": False, "series": series}

    return {
        "schema": schema,
        "issued_on": "2029-08-27",
        "interview": {"date": "2029-08-01"},
        "groups": [{"key": "portfolio", "title": "Portfolio", "n": 8, "shown": True, "reason": ""}],
        "categories": [
            {
                "id": 1, "code": "A", "title": "A", "recommendations": [], "expert_recommendation": "",
                "indicators": [entry("B6", "decimal", 1.675, stats), entry("A1", "year", 1997, years)],
                "standing": {"group": "portfolio", "group_title": "Portfolio", "upper": 0, "lower": 0, "text": "",
                             "points": [{"code": "B6", "score": 62.5}]},
            }
        ],
        "progress": None,
    }


def _texts(laid: dict) -> tuple[dict, dict, str]:
    decimal, year = laid["categories"][0]["indicators"]
    return decimal["series"][0], year["series"][0], str(laid["categories"][0]["standing"]["chart"])


@pytest.mark.parametrize(
    ("language", "q1", "median", "q3"),
    [
        ("en-gb", "4.18", "19.03", "1,234.57"),
        ("de", "4,18", "19,03", "1.234,57"),
        ("es", "4,18", "19,03", "1\u00a0234,57"),
    ],
)
def test_a_report_rounds_half_up_and_writes_ranks_and_years_whole(language, q1, median, q3):
    with translation.override(language):
        decimal, year, standing = _texts(report_layout.laid_out(_snapshot(SNAPSHOT_SCHEMA)))
    row = decimal["rows"][0]["text"]
    assert (row["q1"], row["median"], row["q3"], row["rank"]) == (q1, median, q3, "13")
    assert decimal["own_text"] == ("1.68" if language == "en-gb" else "1,68")
    years = year["rows"][0]["text"]
    assert (years["q1"], years["median"], years["q3"], years["rank"]) == ("1995", "2004", "2011", "38")
    assert year["own_text"] == "1997"
    assert "1994" not in str(year["rows"][0]["chart"]) and "2,004" not in str(year["axis"])
    assert "B6 63" in standing


def test_a_report_issued_before_the_rule_keeps_the_figures_it_was_issued_with():
    with translation.override("en-gb"):
        decimal, year, standing = _texts(report_layout.laid_out(_snapshot(1)))
    row = decimal["rows"][0]["text"]
    assert (row["q1"], row["median"], row["rank"]) == ("4.17", "19.02", "12")
    assert (year["rows"][0]["text"]["q1"], year["rows"][0]["text"]["median"]) == ("1994.5", "2004.25")
    assert "B6 62.5" in standing


@pytest.fixture
def issued(reference_data, staff_user):
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n in range(7):
        factories.approved_interview(cluster=factories.ClusterFactory(portfolio=ict), seed=n,
                                     values={"C1": Decimal(350000 + n * 1000)})  # fmt: skip
    cluster = factories.ClusterFactory(portfolio=ict)
    interview = factories.approved_interview(cluster=cluster, seed=41, values={"C1": Decimal(350000)})
    report = report_issue(interview=interview, user=staff_user)
    manager = factories.UserFactory()
    cluster.managers.add(manager)
    return report, manager


def test_a_new_report_is_issued_with_the_rounding_rule_in_every_language(issued):
    report, _manager = issued
    assert report.snapshot["schema"] == SNAPSHOT_SCHEMA >= report_layout.ROUNDING_SCHEMA
    assert all(s["schema"] == SNAPSHOT_SCHEMA for s in report.translations.values())
    own = {code: next(e["own"] for c in s["categories"] for e in c["indicators"] if e["code"] == "C1")
           for code, s in {"en": report.snapshot, **report.translations}.items()}  # fmt: skip
    assert own == {"en": "350,000\u00a0EUR", "de": "350.000\u00a0EUR", "es": "350\u00a0000\u00a0EUR"}


def test_a_stored_report_is_read_and_never_rewritten(client, issued):
    """A report of schema 1 (issued before the rule) shows its old figures in every language,
    and reading its page or its PDF writes nothing back."""
    report, manager = issued
    old = copy.deepcopy(report.snapshot)
    old["schema"] = 1
    c1 = next(e for c in old["categories"] for e in c["indicators"] if e["code"] == "C1")
    c1["series"][0]["groups"]["portfolio"].update(q1=4.175, median=19.025, rank=12.5)
    c1["own"] = "350000\u00a0EUR"  # the words of the day it was issued
    Report.objects.filter(pk=report.pk).update(snapshot=old, translations={})
    stored = Report.objects.values_list("snapshot", "translations").get(pk=report.pk)
    login(client, manager)
    for language, q1, median in (("en-gb", "4.17", "19.02"), ("de", "4,17", "19,02"), ("es", "4,17", "19,02")):
        page = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).text
        block = page[page.index('id="indicator-C1"'):]
        cells = re.sub(r'<td class="num"[^>]*>', '<td class="num">', block)  # the phone's data-label
        assert f'<td class="num">{q1}</td><td class="num">{median}</td>' in cells
        assert '<td class="num">12</td>' in cells[: cells.index("</table>")]
        assert "350000\u00a0EUR" in block.replace("&nbsp;", "\u00a0")
        report_pdf_html(Report.objects.get(pk=report.pk), language)
    assert Report.objects.values_list("snapshot", "translations").get(pk=report.pk) == stored
