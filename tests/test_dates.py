"""One way to write a date per language, set in one place (ecei_site/formats): issue 24, item 8."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from tests.factories import LabelFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DAY = datetime.date(2029, 8, 27)
WRITTEN = {"en-gb": "27 August 2029", "de": "27. August 2029", "es": "27 de agosto de 2029"}


@pytest.mark.parametrize(("language", "text"), WRITTEN.items())
def test_each_language_writes_a_date_one_way(language, text):
    with translation.override(language):
        assert formats.date_format(DAY) == text
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == text
        assert Template("{{ day }}|{{ day|date }}|{{ day|date:'DATE_FORMAT' }}").render(Context({"day": DAY})) == (
            f"{text}|{text}|{text}"
        )
        moment = datetime.datetime(2029, 8, 27, 14, 5)
        assert formats.date_format(moment, "DATETIME_FORMAT") == f"{text}, 14:05"


@pytest.mark.parametrize(("language", "number"), [("en-gb", "350,000"), ("de", "350.000"), ("es", "350\u00a0000")])
def test_numbers_keep_djangos_separators_but_ids_are_never_grouped(language, number):
    with translation.override(language):
        assert formats.number_format(350000, force_grouping=True) == number
        assert Template("{{ n }}").render(Context({"n": 350000})) == "350000"  # USE_THOUSAND_SEPARATOR off: ids, years


def test_no_template_names_a_date_format_of_its_own():
    """Dates as the reader reads them go through DATE_FORMAT or DATETIME_FORMAT; only a machine
    date (a datetime attribute, a date input, a data- attribute a script reads) is written as Y-m-d."""
    allowed = {'"DATE_FORMAT"', '"DATETIME_FORMAT"', "'Y-m-d'", "'c'"}  # 'c': ISO 8601 for <time datetime>
    found = {
        (path.relative_to(TEMPLATES).as_posix(), argument)
        for path in TEMPLATES.rglob("*.*")
        for argument in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text())
        if argument not in allowed
    }
    assert found == set()
    machine = [
        line for path in TEMPLATES.rglob("*.*") for line in path.read_text().splitlines() if "|date:'Y-m-d'" in line
    ]
    assert all(re.search(r"(datetime|value|data-[a-z-]+)=\"\{\{[^}]*\|date:'Y-m-d'", line) for line in machine)


@pytest.mark.parametrize("language", WRITTEN)
def test_the_verification_page_writes_the_date_as_its_language_does(client, reference_data, language):
    label = LabelFactory(valid_from=datetime.date(2026, 1, 1), valid_until=DAY)
    page = client.get(f"/labels/{label.code}/", HTTP_ACCEPT_LANGUAGE=language).text
    assert WRITTEN[language] in page
    assert "2029/08/27" not in page and "27 Aug 2029" not in page
