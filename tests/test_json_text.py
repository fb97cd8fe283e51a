"""ecei_site.json_text: JSON encoded where it was built, stored as it is."""

import json

import pytest

from benchmarking.models import Report
from ecei_site.json_text import JSONText
from tests import factories

VALUE = {
    "title": "Gleiches Vergleichsportfolio: IKT – «ñ»",
    "n": 12,
    "rank": 37.5,
    "none": None,
    "shown": True,
    "rows": [{"option": "yes", "share": 33.3333}, {"option": "no", "share": 0.0}],
    "counts": {1: 2},  # a key that is not a string, as Counter keys may be
}


def test_it_reads_back_as_json_dumps_writes_it():
    assert json.loads(JSONText.encode(VALUE)) == json.loads(json.dumps(VALUE))


@pytest.mark.django_db
def test_a_report_stores_the_encoded_text_as_its_json_not_as_a_string(catalogue, staff_user):
    interview = factories.approved_interview()
    report = Report.objects.create(
        code="DEU001202401R1",
        interview=interview,
        issued_by=staff_user,
        snapshot=JSONText.encode(VALUE),
        translations=JSONText.encode({"de": VALUE}),
    )
    stored = Report.objects.get(pk=report.pk)
    assert stored.snapshot == json.loads(json.dumps(VALUE))
    assert stored.translations["de"]["title"] == VALUE["title"]
    # Queried as JSON by the database (PostgreSQL's jsonb, SQLite's JSON1), not as a quoted string.
    assert Report.objects.filter(snapshot__rows__0__option="yes", translations__de__n=12).exists()
