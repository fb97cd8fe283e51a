"""ecei_site.bulk: insert_rows writes what bulk_create of the same unsaved instances writes, and
update_rows what bulk_update writes, column for column as the database stores it (on SQLite and
PostgreSQL alike)."""

import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from benchmarking.demo import answer_rows, plausible_values
from benchmarking.models import Answer, Indicator, PeerValue
from benchmarking.selectors.reports.peers import ANSWER_FIELDS
from benchmarking.services.peer_values import peer_value_rows
from clusters.models import Cluster
from ecei_site import bulk
from ecei_site.bulk import insert_rows, update_rows
from tests import factories

pytestmark = pytest.mark.django_db
WALL_CLOCK = {"updated_at"}  # a default of timezone.now: the moment of the insert (checked apart)


def stored(model, **where) -> list[tuple]:
    """The rows as the database holds them (no field conversion), in insert order, without the
    primary key and the wall-clock columns."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in WALL_CLOCK]
    ((name, value),) = where.items()
    column, value = model._meta.get_field(name).column, getattr(value, "pk", value)
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(model._meta.db_table)} "  # noqa: S608
        f"WHERE {quote(column)} = %s ORDER BY {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return cursor.fetchall()


def both_ways(model, rows: list[dict], **where) -> tuple[list[tuple], list[tuple]]:
    """The rows stored by insert_rows, then (those deleted) by bulk_create of unsaved instances."""
    insert_rows(model, rows)
    inserted = stored(model, **where)
    model.objects.filter(**where).delete()
    model.objects.bulk_create([model(**row) for row in rows])
    return inserted, stored(model, **where)


def test_it_stores_the_answers_bulk_create_stores(catalogue, expert):
    interview = factories.InterviewFactory(catalogue=catalogue, expert=expert)
    values = plausible_values(random.Random(3), interview_date=interview.date, maturity=0.7) | {"F3": None}
    rows = answer_rows(interview.pk, Indicator.objects.filter(catalogue=catalogue), values)
    rows[0]["comment"] = "Checked with the annual report."  # a default column given a value
    before = timezone.now()
    inserted, created = both_ways(Answer, rows, interview=interview)
    assert len(inserted) == len(rows) == 36
    assert inserted == created
    assert all(before <= updated <= timezone.now() for updated in Answer.objects.values_list("updated_at", flat=True))


def test_it_stores_the_peer_values_bulk_create_stores(catalogue, expert):
    interview = factories.approved_interview(catalogue=catalogue, expert=expert)
    cluster = interview.cluster
    PeerValue.objects.filter(cluster=cluster).delete()
    member = {
        "catalogue_id": catalogue.pk,
        "cluster_id": cluster.pk,
        "interview_id": interview.pk,
        "portfolio_id": cluster.portfolio_id,
        "country": cluster.country,
    }
    answers = {row["indicator_id"]: row for row in interview.answers.values("indicator_id", *ANSWER_FIELDS)}
    rows = list(peer_value_rows(member, Indicator.objects.filter(catalogue=catalogue), answers))
    inserted, created = both_ways(PeerValue, rows, cluster=cluster)
    assert {row[5] for row in inserted} == {"member", "number", "answered", "option"}  # the role column
    assert inserted == created


def test_it_inserts_rows_beyond_one_batch(catalogue, expert):
    interview = factories.approved_interview(catalogue=catalogue, expert=expert)
    member = PeerValue.objects.filter(interview=interview, role=PeerValue.Role.MEMBER).values(
        "catalogue_id", "cluster_id", "interview_id", "portfolio_id", "country", "role"
    )
    insert_rows(PeerValue, [member.get()] * (bulk.BATCH + 1))
    assert member.count() == bulk.BATCH + 2


def test_it_refuses_a_field_the_model_does_not_have(catalogue, expert):
    interview = factories.InterviewFactory(catalogue=catalogue, expert=expert)
    with pytest.raises(ValueError, match="no field .*interview\\b"):
        insert_rows(Answer, [{"interview": interview, "indicator_id": 1}])
    assert not Answer.objects.exists()


def test_it_refuses_a_value_for_a_field_that_sets_its_own(reference_data):
    portfolio = factories.PortfolioFactory()
    row = {"name": "North Cluster", "slug": "north", "portfolio_id": portfolio.pk, "country": "DE"}
    with pytest.raises(ValueError, match="auto_now"):
        insert_rows(Cluster, [row | {"updated_at": timezone.now() - datetime.timedelta(days=1)}])
    insert_rows(Cluster, [row])
    assert Cluster.objects.get(slug="north").updated_at is not None


def test_update_rows_stores_what_bulk_update_stores(reference_data):
    clusters = [factories.ClusterFactory() for _ in range(3)]
    names = ["label_status", "label_valid_from", "label_valid_until", "updated_at"]
    now = timezone.now()
    rows = [
        (clusters[0].pk, "active", datetime.date(2024, 1, 15), datetime.date(2027, 1, 14), now),
        (clusters[1].pk, "", None, None, now),
        (clusters[2].pk, "suspended", datetime.date(2023, 5, 2), datetime.date(2025, 5, 1), now),
    ]
    update_rows(Cluster, names, rows)
    updated = [stored(Cluster, id=cluster.pk) for cluster in clusters]
    for cluster, (_pk, *values) in zip(clusters, rows, strict=True):
        for name, value in zip(names, values, strict=True):
            setattr(cluster, name, value)
    Cluster.objects.update(label_status="expired", label_valid_from=None, label_valid_until=None)
    Cluster.objects.bulk_update(clusters, names)
    assert updated == [stored(Cluster, id=cluster.pk) for cluster in clusters]
    assert list(Cluster.objects.order_by("pk").values_list("updated_at", flat=True)) == [now] * 3


def test_update_rows_refuses_the_key_and_other_models_fields(reference_data):
    cluster = factories.ClusterFactory()
    for names in (["id"], ["portfolio"], ["labels"]):
        with pytest.raises(ValueError, match="no field"):
            update_rows(Cluster, names, [(cluster.pk, None)])
