"""The admin's changelists over the tables that grow with the database (issue 30): no count of the
whole table, no report document read, the rows in the order of an index."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import Answer, Interview, Label, Report
from ecei_site.admin_paging import EstimatedCountPaginator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))


def test_the_report_changelist_leaves_the_documents_out(client, secretariat, reference_data):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:benchmarking_report_changelist"))

    assert response.status_code == 200
    report_reads = [q["sql"] for q in queries if 'FROM "benchmarking_report"' in q["sql"]]
    assert report_reads
    assert not [sql for sql in report_reads if '"snapshot"' in sql or '"translations"' in sql]


@pytest.mark.parametrize("model", [Answer, Interview, Label, Report])
def test_large_tables_are_counted_once(model):
    model_admin = admin.site._registry[model]
    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is EstimatedCountPaginator


def test_the_answers_are_listed_newest_first_by_their_key():
    assert admin.site._registry[Answer].ordering == ["-pk"]


def test_a_filtered_or_small_list_is_counted_exactly(reference_data):
    unfiltered = EstimatedCountPaginator(Label.objects.all(), 100)
    filtered = EstimatedCountPaginator(Label.objects.filter(status="active"), 100)

    assert filtered._estimate() is None
    assert unfiltered.count == Label.objects.count()  # SQLite, or PostgreSQL under exact_below
