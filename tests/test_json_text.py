"""ecei_site.json_text: JSON encoded where it was built, stored as it is."""

import json

import pytest
from django.db import DataError, IntegrityError, connection, transaction

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
    # JSON to the database (PostgreSQL's json, SQLite's JSON1), not a quoted string.
    assert _json_types(report, "snapshot", "translations") == ["object", "object"]


@pytest.mark.django_db
def test_a_document_reads_back_whole_in_every_way_it_is_selected(catalogue, staff_user):
    """The column is selected as text and decoded once: by a model, values(), and a deferred load."""
    written = {"z": 1, "a": [1.5, None, "ß"], "m": {"y": True, "b": -0.0}}
    report = Report.objects.create(
        code="DEU001202401R1", interview=factories.approved_interview(), issued_by=staff_user, snapshot=written
    )
    assert Report.objects.get(pk=report.pk).snapshot == written
    assert Report.objects.values_list("snapshot", flat=True).get(pk=report.pk) == written
    deferred = Report.objects.defer(*Report.DOCUMENT_FIELDS).get(pk=report.pk)
    assert deferred.translations == {} and deferred.snapshot == written
    # The keys in the order written, on both databases (jsonb kept its own order).
    assert list(Report.objects.get(pk=report.pk).snapshot) == ["z", "a", "m"]


@pytest.mark.django_db
def test_a_value_that_is_not_json_is_refused_by_the_database(catalogue, staff_user):
    with pytest.raises(IntegrityError if connection.vendor == "sqlite" else DataError), transaction.atomic():
        Report.objects.create(
            code="DEU001202401R1",
            interview=factories.approved_interview(),
            issued_by=staff_user,
            snapshot=JSONText('{"rows": [1, 2'),  # cut short: handed over as it is
        )
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_on_postgresql_the_documents_are_json_not_jsonb():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's column types; SQLite stores JSON as text")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = 'benchmarking_report' AND column_name IN ('snapshot', 'translations')"
        )
        assert dict(cursor.fetchall()) == {"snapshot": "json", "translations": "json"}


def _json_types(report, *columns) -> list[str]:
    function = "json_typeof" if connection.vendor == "postgresql" else "json_type"
    selected = ", ".join(f"{function}({column})" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM benchmarking_report WHERE id = %s", [report.pk])  # noqa: S608
        return list(cursor.fetchone())
