"""Label codes are never reused (domain.md, "Codes are never reused"): the next serial of a
country is above every existing code of that country, imported codes with suffixes included."""

import datetime

import pytest
import tablib

from benchmarking.admin import LabelResource
from benchmarking.models import Label
from benchmarking.rules.label_codes import label_code_serial, next_label_serial
from benchmarking.services.labels import label_award
from tests.factories import ClusterFactory

D = datetime.date


@pytest.mark.parametrize(
    "code, parsed",
    [
        ("HRV011201301CIP0437", ("HRV", 11)),  # an imported code with its suffix
        ("DNK063201604C160869", ("DNK", 63)),
        ("MEX036201805B", ("MEX", 36)),  # the project's own form
        ("MEX020201012B", ("MEX", 20)),  # a serial whose digits could start a year
        ("DEU1000202401G", ("DEU", 1000)),  # a fourth digit once 999 is passed
        ("HRV1000201301CIP0437", ("HRV", 1000)),
        ("HRV-11", None),  # neither form: it cannot collide with a code the project writes
        ("HRV11201301X", None),  # a serial has at least three digits
    ],
)
def test_the_serial_of_a_code(code, parsed):
    assert label_code_serial(code) == parsed


def import_labels(*rows):
    dataset = tablib.Dataset(headers=LabelResource.Meta.fields)
    for code, cluster in rows:
        dataset.append([code, cluster.slug, "bronze", D(2013, 1, 20), D(2013, 2, 1), D(2013, 1, 20), D(2015, 1, 20),
                        "active", "import"])  # fmt: skip
    result = LabelResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()


def test_an_award_after_imported_codes_takes_a_higher_serial(reference_data):
    croatian = ClusterFactory(country="HR")
    import_labels(("HRV011201301CIP0437", croatian))

    assert next_label_serial("HRV") == 12
    label = label_award(cluster=croatian, level=Label.Level.BRONZE, benchmarked_on=D(2024, 3, 1),
                        source=Label.Source.IMPORT)  # fmt: skip
    assert label.code == "HRV012202403B"


def test_codes_of_another_country_do_not_count(reference_data):
    import_labels(("DNK063201604C160869", ClusterFactory(country="DK")))

    assert next_label_serial("HRV") == 1
    assert next_label_serial("DNK") == 64


def test_the_highest_serial_counts_whatever_the_form(reference_data):
    croatian = ClusterFactory(country="HR")
    import_labels(("HRV011201301CIP0437", croatian), ("HRV007201101B", ClusterFactory(country="HR")))

    assert next_label_serial("HRV") == 12
