"""One rule for a cluster's current label (domain.md, "A cluster's current label").

The highest level valid today; when none is valid, the most recent label with that label's
status. models.current_label says it in Python, the stored timeline (CurrentLabelPeriod,
read with models.current_label_on) in SQL; they agree, and every public surface (the list,
its status filter, the overview, the API, the exports, the cluster page, the verification
page, the certificate and the label facts) shows the label the rule names.
"""

import csv
import datetime
import io
import itertools
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from benchmarking.models import CurrentLabelPeriod, Label, current_label, current_label_on
from benchmarking.selectors.public_status import PublicStatus
from benchmarking.services.label_facts import label_facts_disagreements, label_facts_refresh
from benchmarking.services.labels import label_suspend
from directory.selectors import cluster_public_status, overview, public_clusters, status_filter
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate()
RANK = {"bronze": 1, "silver": 2, "gold": 3}
LETTER = {"bronze": "B", "silver": "S", "gold": "G"}
serials = itertools.count(1)


def expected_current(labels: list[Label], day: datetime.date) -> tuple[Label, str]:
    """The rule as domain.md words it, written out again here: the oracle of every test."""
    valid = [x for x in labels if x.status == "active" and x.valid_from <= day <= x.valid_until]
    if valid:
        return max(valid, key=lambda x: (RANK[x.level], x.valid_until, x.pk)), PublicStatus.VALID
    latest = max(labels, key=lambda x: (x.valid_until, x.pk))
    if latest.status != "active":
        return latest, latest.status
    return latest, PublicStatus.EXPIRED if day > latest.valid_until else PublicStatus.UPCOMING


def add_label(cluster, level: str, valid_from: D, valid_until: D, status: str = "active") -> Label:
    serial = next(serials)
    return Label.objects.create(
        cluster=cluster,
        level=level,
        code=f"DEU{serial:04d}{valid_from:%Y%m}{LETTER[level]}",
        benchmarked_on=valid_from,
        awarded_on=valid_from,
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
        source=Label.Source.IMPORT,
    )


def days_around(labels: list[Label]) -> list[D]:
    days = {TODAY}
    for label in labels:
        days |= {label.valid_from - ONE_DAY, label.valid_from, label.valid_until, label.valid_until + ONE_DAY}
    return sorted(days)


def period_on(cluster, day: D) -> CurrentLabelPeriod:
    return CurrentLabelPeriod.objects.get(cluster=cluster, **current_label_on(day))


# --- The rule, in Python and in SQL -------------------------------------------------------------


@pytest.fixture
def gold_and_suspended_bronze(reference_data, staff_user):
    """The issue's cluster: a Gold valid until 2028 and a Bronze, more recent, suspended."""
    cluster = ClusterFactory(name="Central Health Innovation Cluster", country="DE")
    gold = add_label(cluster, "gold", TODAY - 200 * ONE_DAY, TODAY + 530 * ONE_DAY)
    bronze = add_label(cluster, "bronze", TODAY - 100 * ONE_DAY, TODAY + 900 * ONE_DAY)
    label_facts_refresh([cluster.pk])
    return cluster, gold, bronze


def test_a_valid_gold_is_the_current_label_over_a_valid_bronze(gold_and_suspended_bronze):
    cluster, gold, bronze = gold_and_suspended_bronze
    assert current_label([gold, bronze], TODAY) == gold
    assert period_on(cluster, TODAY).label_id == gold.pk
    assert public_clusters().get(pk=cluster.pk).latest_valid_until == gold.valid_until


def test_a_suspended_bronze_leaves_the_valid_gold_current(gold_and_suspended_bronze, staff_user):
    cluster, gold, bronze = gold_and_suspended_bronze
    label_suspend(label=bronze, reason="Complaint.", user=staff_user)
    bronze.refresh_from_db()
    listed = public_clusters().get(pk=cluster.pk)
    assert (listed.public_status, listed.latest_valid_until) == (PublicStatus.VALID, gold.valid_until)
    # After the Gold ends the Bronze, the most recent label, shows with its status.
    after = gold.valid_until + ONE_DAY
    assert current_label([gold, bronze], after) == bronze
    assert public_clusters(after).get(pk=cluster.pk).public_status == PublicStatus.SUSPENDED


def test_every_public_surface_says_gold_valid(client, gold_and_suspended_bronze, staff_user):
    """The issue's example, surface by surface (each said "suspended" or Bronze before)."""
    cluster, gold, bronze = gold_and_suspended_bronze
    label_suspend(label=bronze, reason="Complaint.", user=staff_user)
    surfaces = observe(client, cluster, [gold, bronze])
    assert surfaces == dict.fromkeys(surfaces, (gold.code, PublicStatus.VALID, gold.valid_until)), surfaces
    assert overview().valid == 1
    verification = client.get(reverse("benchmarking:label_public", args=[bronze.code])).content.decode()
    assert "This label is suspended" in verification and gold.code in verification
    certificate = client.get(reverse("benchmarking:label_certificate", args=[bronze.code])).content.decode()
    assert "NOT VALID" in certificate and gold.code in certificate


def test_the_verification_page_names_no_other_label_when_this_one_is_current(client, gold_and_suspended_bronze):
    cluster, gold, bronze = gold_and_suspended_bronze
    page = client.get(reverse("benchmarking:label_public", args=[gold.code])).content.decode()
    assert "cluster-current-label" not in page
    page = client.get(reverse("benchmarking:label_public", args=[bronze.code])).content.decode()
    assert "cluster-current-label" in page and gold.code in page


@pytest.mark.parametrize(
    "history, day, expected",
    [
        # (level, start, end, status) ...; the index of the expected label and its status.
        ([("bronze", D(2024, 1, 1), D(2026, 1, 1), "active")], D(2023, 12, 31), (0, "upcoming")),
        ([("bronze", D(2024, 1, 1), D(2026, 1, 1), "active")], D(2026, 1, 2), (0, "expired")),
        ([("bronze", D(2024, 1, 1), D(2026, 1, 1), "active"), ("silver", D(2025, 1, 1), D(2027, 1, 1), "active")],
         D(2025, 6, 1), (1, "valid")),
        ([("gold", D(2024, 1, 1), D(2026, 1, 1), "active"), ("bronze", D(2025, 1, 1), D(2029, 1, 1), "withdrawn")],
         D(2026, 1, 2), (1, "withdrawn")),
        ([("gold", D(2020, 1, 1), D(2022, 1, 1), "active"), ("bronze", D(2024, 1, 1), D(2026, 1, 1), "active")],
         D(2023, 1, 1), (1, "upcoming")),  # the most recent label, though the Gold is the highest
        ([("bronze", D(2024, 1, 1), D(2026, 1, 1), "active"), ("bronze", D(2026, 1, 2), D(2029, 1, 1), "active")],
         D(2025, 6, 1), (0, "valid")),  # a renewal ahead: the label valid today
    ],
)  # fmt: skip
def test_python_and_sql_agree_on_examples(reference_data, history, day, expected):
    cluster = ClusterFactory()
    labels = [add_label(cluster, *row) for row in history]
    label_facts_refresh([cluster.pk])
    index, status = expected
    assert expected_current(labels, day) == (labels[index], status)
    assert current_label(labels, day) == labels[index]
    period = period_on(cluster, day)
    assert (period.label_id, period.status, period.valid_until) == (labels[index].pk, status, labels[index].valid_until)


# --- Every surface agrees with the rule, on random label histories -------------------------------


def streamed(client, view: str, cluster) -> bytes:
    return b"".join(client.get(reverse(view), {"q": cluster.name}).streaming_content)


def observe(client, cluster, labels: list[Label]) -> dict[str, tuple]:
    """What each public surface says of the cluster's current label: (code, status, valid until).

    Surfaces that do not name the label (the list, the API, the exports) give the code of the
    label the rule names when their status and end match it, else what they show."""
    cache.clear()  # the API's throttle counts requests in the cache
    label, status = expected_current(labels, TODAY)
    code_if = {(status, label.valid_until): label.code}

    def as_seen(seen_status, seen_until) -> tuple:
        return code_if.get((seen_status, seen_until), "?"), seen_status, seen_until

    listed = public_clusters().get(pk=cluster.pk)
    api = client.get(reverse("api:cluster_detail", args=[cluster.slug])).json()
    rows = list(csv.DictReader(io.StringIO(streamed(client, "clusters:export_csv", cluster).decode("utf-8-sig"))))
    exported = json.loads(streamed(client, "clusters:export_json", cluster))["clusters"]
    page = client.get(cluster.get_absolute_url()).context["page"].current
    stored = period_on(cluster, TODAY)
    members = [s for s, _ in PublicStatus.CHOICES if public_clusters().filter(status_filter(s), pk=cluster.pk)]
    return {
        "list": as_seen(listed.public_status, listed.latest_valid_until),
        "filter": as_seen(" ".join(members), listed.latest_valid_until),
        "api": as_seen(api["label_status"], D.fromisoformat(api["label_valid_until"])),
        "csv": as_seen(rows[0]["label_status"], D.fromisoformat(rows[0]["label_valid_until"])),
        "json": as_seen(exported[0]["label_status"], D.fromisoformat(exported[0]["label_valid_until"])),
        "cluster page": (page.label.code, page.public_status, page.label.valid_until),
        "label facts": (Label.objects.get(pk=stored.label_id).code, cluster_public_status(cluster), stored.valid_until),
    }


history_row = st.tuples(
    st.sampled_from(["bronze", "silver", "gold"]),
    st.integers(-1500, 600),  # start, in days from today
    st.integers(1, 1200),  # length in days
    st.sampled_from(["active", "active", "suspended", "withdrawn"]),
)


@pytest.mark.slow
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(history_row, min_size=1, max_size=5))
def test_every_surface_agrees_with_the_rule_on_any_history(client, reference_data, history):
    cluster = ClusterFactory(name=f"History {next(serials)} {len(history)}x")
    labels = [
        add_label(cluster, level, TODAY + start * ONE_DAY, TODAY + (start + length) * ONE_DAY, status)
        for level, start, length, status in history
    ]
    label_facts_refresh([cluster.pk])
    label, status = expected_current(labels, TODAY)
    seen = observe(client, cluster, labels)
    assert seen == dict.fromkeys(seen, (label.code, status, label.valid_until)), seen
    assert cluster.pk not in label_facts_disagreements()
    for day in days_around(labels):
        label, status = expected_current(labels, day)
        assert current_label(labels, day) == label, day
        period = period_on(cluster, day)
        assert (period.label_id, period.status) == (label.pk, status), day
        assert public_clusters(day).get(pk=cluster.pk).public_status == status, day
