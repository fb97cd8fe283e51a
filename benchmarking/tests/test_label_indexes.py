"""The indexes the label queries rely on at 100,000 clusters (benchmarks/README.md, issue 30).

A partial index serves a query only while the query's filter implies the index's condition: a
change to the validity rule or to the index would silently bring back the scan of every label.
The tables here are tiny, so PostgreSQL is told not to scan them sequentially (only for this
transaction): the test asks whether the index can answer the query, not whether a planner would
choose it for ten rows.
"""

import datetime

import pytest
from django.db import connection

from benchmarking.models import Label
from benchmarking.selectors.reports.peers import gold_clusters
from tests.factories import LabelFactory

DAY = datetime.date(2025, 6, 1)


def plan_of(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.django_db
def test_todays_gold_holders_are_read_from_the_running_labels_index():
    for _ in range(5):
        LabelFactory(level=Label.Level.GOLD)
        LabelFactory(level=Label.Level.BRONZE)
    plan = plan_of(gold_clusters(DAY))
    assert "label_level_running" in plan
    if connection.vendor == "postgresql":
        # The cluster is in the index (INCLUDE): the holders are read without the table's rows.
        assert "Index Only Scan" in plan
