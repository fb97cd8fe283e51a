"""The import's check asks each indicator's sub-form once per input: a form built once per indicator
is bound to each row's cells (IndicatorForm.bound_again, exchange.legacy.Judges). Its verdicts must
be those of a form built afresh, whatever it judged before."""

import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings

from benchmarking.forms.indicators import indicator_form_class
from benchmarking.models import Catalogue, Indicator, Interview
from exchange.legacy import Judges
from exchange.variables import CellError, decode

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def sample_inputs(indicator: Indicator) -> list[dict]:
    """The indicator's form input in every row of the sample files, the mistakes' file included."""
    inputs = []
    for name in ("legacy_benchmarkings_valid.csv", "legacy_benchmarkings_errors.csv"):
        for cells in csv.DictReader((FIXTURES / name).open(encoding="utf-8")):
            try:
                data = decode(indicator, cells)
            except CellError:
                continue
            if data is not None:
                inputs.append(data)
    # Input no sample row has: out of bounds, not a number, a value and a reason.
    inputs += [{"value": "-5"}, {"value": "abc"}, {"value": "3", "missing_reason": "unknown"}]
    return inputs


def verdict(form) -> tuple:
    valid = form.is_valid()
    return valid, dict(form.errors), form.answer_fields() if valid else None


@pytest.mark.django_db
def test_a_form_bound_again_judges_as_a_form_built_afresh(reference_data):
    catalogue = Catalogue.objects.get(version="1")
    days = [datetime.date(2013, 1, 22), datetime.date(1999, 5, 1)]  # a year after 1999 is refused then
    compared = invalid = 0
    for indicator in Indicator.objects.filter(catalogue=catalogue):
        form_class = indicator_form_class(indicator)
        built = form_class(indicator=indicator, interview=Interview(date=days[0], catalogue=catalogue), from_file=True)
        previous = None
        for data in sample_inputs(indicator):
            for day in days:
                interview = Interview(date=day, catalogue=catalogue)
                bound = {f"{indicator.code}-{name}": value for name, value in data.items()}
                fresh = form_class(dict(bound), indicator=indicator, interview=interview, from_file=True)
                # From the form built once, or from the last one judged: nothing of its verdict stays.
                again = (previous if compared % 2 else built).bound_again(dict(bound), interview=interview)
                assert verdict(again) == verdict(fresh), (indicator.code, data, day)
                compared += 1
                invalid += not fresh.is_valid()
                previous = again
        assert not built.is_bound  # the form built once is left as it was
    assert compared > 500 and invalid > 50  # valid and refused input, one after the other


@pytest.mark.django_db
def test_the_check_asks_a_form_once_per_input_and_day(reference_data):
    catalogue = Catalogue.objects.get(version="1")
    indicator = Indicator.objects.get(catalogue=catalogue, code="A4")
    judges = Judges()
    day = Interview(date=datetime.date(2013, 1, 22), catalogue=catalogue)
    first = judges.judged(indicator, {"value": "54"}, day)
    assert judges.judged(indicator, {"value": "54"}, day) is first
    other = judges.judged(indicator, {"value": "-1"}, day)
    assert other is not first and not other.is_valid() and first.is_valid()
    assert len(judges.forms) == 1  # one form built for the indicator, bound to each input
