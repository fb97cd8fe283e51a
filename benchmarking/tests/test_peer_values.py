"""The stored peer values (PeerValue): the same snapshots as computing the peers from the
answers, kept by every door that changes a cluster's latest approved interview or its groups."""

import datetime
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import Answer, Expert, Indicator, Interview, Label, PeerGroupValues, PeerValue
from benchmarking.selectors.reports.inputs import load_report_inputs
from benchmarking.selectors.reports.peers import (
    ANSWER_FIELDS,
    GROUPS,
    MISSING,
    GroupData,
    OwnValues,
    comparable_value,
    is_option_indicator,
    latest_approved_interviews,
    load_peer_pool,
    series_values,
)
from benchmarking.selectors.reports.snapshot import snapshots_from
from benchmarking.selectors.reports.stored_groups import StoredGroup, decoded_groups, read_stored_groups
from benchmarking.services.labels import label_suspend
from benchmarking.services.peer_values import peer_values_refresh
from benchmarking.services.review import interview_approve, interview_reopen
from clusters.models import Cluster, ComparativePortfolio
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


class ReferencePool:
    """The peers as they were computed before the store: every cluster's latest approved answers
    on the catalogue, decoded and summarised in Python. Kept here only, as the reference."""

    def __init__(self, catalogue, indicators, *, today):
        self.indicators = indicators
        latest = latest_approved_interviews(catalogue)
        self.meta = {
            row["cluster_id"]: row
            for row in latest.values("pk", "cluster_id", "cluster__country", "cluster__portfolio_id")
        }
        of_interview = {row["pk"]: pk for pk, row in self.meta.items()}
        by_id = {i.pk: i for i in indicators}
        self.values = {pk: dict.fromkeys(by_id.values(), MISSING) for pk in self.meta}
        for row in Answer.objects.filter(interview__in=latest).values("interview_id", "indicator_id", *ANSWER_FIELDS):
            indicator = by_id[row["indicator_id"]]
            self.values[of_interview[row["interview_id"]]][indicator] = comparable_value(indicator, row)
        self.gold = set(
            Label.objects.filter(level=Label.Level.GOLD).valid_on(today).values_list("cluster_id", flat=True)
        )

    def members(self, key):
        kind, value = key
        if kind == GROUPS.ALL:
            return set(self.meta)
        if kind == GROUPS.EXCELLENCE:
            return self.gold & set(self.meta)
        name = "cluster__portfolio_id" if kind == GROUPS.PORTFOLIO else "cluster__country"
        return {pk for pk, row in self.meta.items() if row[name] == value}

    def group(self, key) -> GroupData:
        members = self.members(key)
        data = GroupData(size=len(members))
        for indicator in self.indicators:
            given = [self.values[pk][indicator] for pk in members if self.values[pk][indicator] is not MISSING]
            if is_option_indicator(indicator):
                chosen = [o for v in given for o in (set(v) if isinstance(v, list) else [v])]
                data.options[indicator.code] = (Counter(chosen), len(given))
                continue
            for value in given:
                for name, number in series_values(indicator, value).items():
                    data.numbers.setdefault((indicator.code, name), []).append(number)
        data.numbers = {key: sorted(numbers) for key, numbers in data.numbers.items()}
        return data

    def is_member(self, key, own, cluster) -> bool:
        return cluster.pk in self.members(key)

    def read(self, keys, cluster_id) -> OwnValues:
        return self.own_values(cluster_id)

    def own_values(self, cluster_id) -> OwnValues:
        own = OwnValues(member=cluster_id in self.values)
        for indicator, value in self.values.get(cluster_id, {}).items():
            if value is MISSING:
                continue
            if is_option_indicator(indicator):
                own.options[indicator.code] = list(set(value)) if isinstance(value, list) else [value]
            else:
                for name, number in series_values(indicator, value).items():
                    own.numbers[(indicator.code, name)] = number
        return own


def both_paths(interview, today):
    inputs = load_report_inputs(interview)
    catalogue, indicators = inputs.interview.catalogue, inputs.indicators
    stored = snapshots_from(inputs, load_peer_pool(catalogue, indicators, today=today), today=today)
    reference = snapshots_from(inputs, ReferencePool(catalogue, indicators, today=today), today=today)
    return stored, reference


def stored_rows() -> list[tuple]:
    fields = ("catalogue_id", "cluster_id", "interview_id", "portfolio_id", "country", "role", "indicator_id", "series")
    return sorted(PeerValue.objects.values_list(*fields, "number"), key=repr)


def stored_groups() -> dict:
    """Every stored group, decoded: (catalogue, kind, key) -> size, members, number series, counted options."""
    found = {}
    for row in PeerGroupValues.objects.all():
        group = StoredGroup.decode(row)
        numbers = {key: list(values) for key, values in group.numbers.items()}
        options = {pk: (answering, dict(counts)) for pk, (answering, counts) in group.options.items()}
        found[(row.catalogue_id, row.kind, row.key)] = (row.size, list(group.members), numbers, options, group.outside)
    return found


def rebuilt_rows() -> list[tuple]:
    """What the store holds when rebuilt from nothing: the maintained store (its rows and its
    groups, kept in place) must equal it."""
    maintained, groups = stored_rows(), stored_groups()
    PeerValue.objects.all().delete()
    PeerGroupValues.objects.all().delete()
    peer_values_refresh()
    rebuilt = stored_rows()
    assert rebuilt == maintained
    assert stored_groups() == groups
    return rebuilt


def comparable(data: GroupData) -> tuple:
    options = {code: (+counts, n) for code, (counts, n) in data.options.items() if n}
    return data.size, {key: list(values) for key, values in data.numbers.items()}, options


def assert_groups_equal_the_answers(catalogue, today):
    """Every group a report can read (each portfolio, each country, all, excellence) holds what
    the answers give: the stored arrays, with today's Gold holders applied, as the reference."""
    indicators = list(Indicator.objects.filter(catalogue=catalogue))
    reference = ReferencePool(catalogue, indicators, today=today)
    pool = load_peer_pool(catalogue, indicators, today=today)
    keys = [(GROUPS.ALL, None), (GROUPS.EXCELLENCE, None)]
    keys += [(GROUPS.PORTFOLIO, pk) for pk in ComparativePortfolio.objects.values_list("pk", flat=True)]
    keys += [(GROUPS.COUNTRY, str(c)) for c in set(Cluster.objects.values_list("country", flat=True))]
    for key in keys:
        assert comparable(pool.group(key)) == comparable(reference.group(key)), key


@pytest.fixture
def demo(reference_data, settings):
    settings.ECEI_REPORT_MIN_GROUP_SIZE = 2  # every group shown: every statistic compared
    call_command("seed_demo", clusters=80, experts=6, seed=11, stdout=io.StringIO())
    # Variety the demo lacks: missing answers, several-of-a-list with nothing chosen, no parts.
    latest = list(latest_approved_interviews().order_by("pk")[:12])
    for n, interview in enumerate(latest):
        answers = Answer.objects.filter(interview=interview).select_related("indicator")
        for answer in answers.filter(indicator__code__in=["B4", "A2", "A5"])[: 1 + n % 3]:
            Answer.objects.filter(pk=answer.pk).update(
                missing_reason=Answer.MissingReason.choices[0][0], number=None, choice="", parts=None
            )
        multi = answers.filter(indicator__kind=Indicator.Kind.MULTI).first()
        if multi and n % 2:
            Answer.objects.filter(pk=multi.pk).update(selected=[])
    peer_values_refresh([i.cluster_id for i in latest])
    return latest


def test_stored_peers_give_the_snapshots_of_the_answers_in_every_language(demo):
    today = timezone.localdate()
    assert Label.objects.filter(level=Label.Level.GOLD).valid_on(today).exists()
    latest = list(latest_approved_interviews().order_by("pk"))
    older = list(Interview.objects.filter(status=Interview.Status.APPROVED).exclude(pk__in=[i.pk for i in latest])[:8])
    assert older, "renewals: a report of an earlier interview leaves out the cluster's latest values"
    for interview in latest + older:
        stored, reference = both_paths(interview, today)
        assert stored == reference, interview.pk
    assert_groups_equal_the_answers(latest[0].catalogue, today)


def test_the_store_follows_approval_and_reopening(demo, staff_user):
    cluster = demo[0].cluster
    cluster.eccp_profile_url = "https://clustercollaboration.eu/c/x"
    cluster.save()
    newer = factories.answer_all(
        factories.InterviewFactory(cluster=cluster, status=Interview.Status.SUBMITTED, date=timezone.localdate()),
        seed=42,
    )
    interview_approve(interview=newer, user=staff_user)
    assert PeerValue.objects.filter(interview=newer, role=PeerValue.Role.MEMBER).exists()
    assert not PeerValue.objects.filter(cluster=cluster).exclude(interview=newer).exists()
    rebuilt_rows()
    stored, reference = both_paths(newer, timezone.localdate())
    assert stored == reference

    interview_reopen(interview=newer, user=staff_user, reason="Figures to check")
    assert not PeerValue.objects.filter(interview=newer).exists()
    assert PeerValue.objects.filter(cluster=cluster, role=PeerValue.Role.MEMBER).get().interview_id != newer.pk
    rebuilt_rows()


def test_a_cluster_moved_to_another_portfolio_in_the_admin_moves_its_peer_values(demo, client):
    admin = factories.UserFactory(is_staff=True, is_superuser=True, username="admin")
    client.force_login(admin)
    cluster = Cluster.objects.get(pk=demo[1].cluster_id)
    other = ComparativePortfolio.objects.exclude(pk=cluster.portfolio_id).first()
    data = {
        "name": cluster.name,
        "slug": cluster.slug,
        "portfolio": other.pk,
        "country": "PT",
        "region": cluster.region,
        "website": cluster.website,
        "eccp_profile_url": cluster.eccp_profile_url,
        "organisation_name": cluster.organisation_name,
        "contact_email": cluster.contact_email,
        "description": cluster.description,
    }
    response = client.post(reverse("admin:clusters_cluster_change", args=[cluster.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = PeerValue.objects.filter(cluster=cluster)
    assert set(rows.values_list("portfolio_id", "country")) == {(other.pk, "PT")}
    rebuilt_rows()


@pytest.mark.slow
def test_the_legacy_import_and_seed_demo_keep_the_store(demo):
    # seed_demo wrote it through its bulk path; the rebuild finds nothing to change.
    assert rebuilt_rows()


def test_refreshing_reads_in_the_same_queries_however_many_clusters(reference_data):
    few = [factories.approved_interview(seed=n).cluster_id for n in range(2)]
    many = few + [factories.approved_interview(seed=10 + n).cluster_id for n in range(8)]
    counts = []
    for ids in (few, many):
        with CaptureQueriesContext(connection) as ctx:
            peer_values_refresh(ids)
        # the rows are written in INSERTs of as many rows as the database takes at once
        counts.append(sum(not q["sql"].startswith("INSERT") for q in ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_report_issued_on_a_day_a_gold_label_expires_leaves_it_out(demo):
    gold = Label.objects.filter(level=Label.Level.GOLD).order_by("valid_until").first()
    day_after = gold.valid_until + datetime.timedelta(days=1)
    catalogue = demo[0].catalogue
    for today in (gold.valid_until, day_after):
        pool = load_peer_pool(catalogue, list(catalogue.indicators.all()), today=today)
        assert (gold.cluster_id in pool.gold()) == (today == gold.valid_until)
        assert_groups_equal_the_answers(catalogue, today)


def approve_a_new_interview(cluster, staff_user, seed):
    cluster.eccp_profile_url = "https://clustercollaboration.eu/c/x"  # the eligibility facts
    cluster.eccp_validated_on = cluster.english_website_checked_on = datetime.date(2024, 1, 10)
    cluster.public_collaboration = "Joint projects with the regional government, shown on the website."
    cluster.save()
    today = timezone.localdate()  # an expert of seed_demo (the factory's would clash), accredited today
    expert = Expert.objects.filter(accredited_from__lte=today, accredited_until__gte=today).order_by("pk").first()
    submitted = factories.InterviewFactory(
        cluster=cluster, expert=expert, status=Interview.Status.SUBMITTED, date=timezone.localdate()
    )
    newer = factories.answer_all(submitted, seed=seed)
    interview_approve(interview=newer, user=staff_user)
    return newer


def test_the_stored_groups_follow_approvals_reopenings_moves_and_gold_labels(demo, staff_user):
    """A sequence of every change the groups follow, each checked against the answers; at the
    end the groups kept in place equal the groups rebuilt from nothing, and the snapshots equal
    the answers-based reference."""
    today = timezone.localdate()
    catalogue = demo[0].catalogue
    gold = set(Label.objects.filter(level=Label.Level.GOLD).valid_on(today).values_list("cluster_id", flat=True))
    members = list(latest_approved_interviews(catalogue).order_by("pk").values_list("cluster_id", flat=True))
    gold_member = next(pk for pk in members if pk in gold)
    others = [pk for pk in members if pk not in gold]

    first = approve_a_new_interview(Cluster.objects.get(pk=others[0]), staff_user, seed=42)
    assert_groups_equal_the_answers(catalogue, today)
    approve_a_new_interview(Cluster.objects.get(pk=others[1]), staff_user, seed=42)
    interview_reopen(interview=first, user=staff_user, reason="Figures to check")
    assert_groups_equal_the_answers(catalogue, today)

    moved = Cluster.objects.get(pk=others[2])  # as the cluster admin does
    moved.portfolio = ComparativePortfolio.objects.exclude(pk=moved.portfolio_id).order_by("pk").last()
    moved.country = "MT"  # a country of its own: a new stored group
    moved.save()
    peer_values_refresh([moved.pk])
    assert_groups_equal_the_answers(catalogue, today)

    # Gold labels change without a refresh: a report applies the difference for its day.
    newly_gold = Cluster.objects.get(pk=others[3])
    factories.LabelFactory(
        cluster=newly_gold,
        level=Label.Level.GOLD,
        code="DEU999202601G",
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=700),
    )
    suspended = Label.objects.filter(level=Label.Level.GOLD, cluster_id=gold_member).valid_on(today).first()
    label_suspend(label=suspended, reason="Checking the audit", user=staff_user)
    assert_groups_equal_the_answers(catalogue, today)
    assert_groups_equal_the_answers(catalogue, today + datetime.timedelta(days=800))  # every Gold expired

    # The next refresh brings the stored excellence group to today's Gold holders; approving
    # the new Gold holder again takes its former values out of it.
    approve_a_new_interview(newly_gold, staff_user, seed=42)
    assert_groups_equal_the_answers(catalogue, today)
    excellence = PeerGroupValues.objects.get(catalogue=catalogue, kind=GROUPS.EXCELLENCE)
    assert newly_gold.pk in StoredGroup.decode(excellence)
    assert gold_member not in StoredGroup.decode(excellence)

    for interview in latest_approved_interviews(catalogue).filter(cluster_id__in=[others[1], moved.pk, gold_member]):
        stored, reference = both_paths(interview, today)
        assert stored == reference, interview.pk
    rebuilt_rows()


def test_values_deleted_past_the_refresh_make_the_next_refresh_rebuild_the_groups(demo, staff_user, caplog):
    """A wipe outside the product's doors (an interview deleted, its PeerValue rows by cascade)
    leaves the stored groups behind; the next refresh of that cluster finds it and rebuilds."""
    # A cluster no benchmarking waiting for the board renews ahead (a new one would stack on it).
    interview = next(i for i in demo[3:] if not i.cluster.label_recommendations.filter(status="pending").exists())
    cluster = interview.cluster
    PeerValue.objects.filter(cluster=cluster).delete()  # as the cascade would
    approve_a_new_interview(cluster, staff_user, seed=42)
    assert "rebuilt" in caplog.text
    assert_groups_equal_the_answers(interview.catalogue, timezone.localdate())
    rebuilt_rows()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_lose_no_update_on_postgresql(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the test below, in its own process on a file database")
    from tests.peer_refresh_writers import kept_equals_rebuilt, make_clusters, refresh_concurrently

    cluster_ids = make_clusters(6)
    assert refresh_concurrently(cluster_ids, rounds=4) == []
    assert kept_equals_rebuilt()


@pytest.mark.slow
def test_concurrent_refreshes_lose_no_update_on_sqlite(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL: the test above")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'writers.sqlite3'}", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "tests/peer_refresh_writers.py", "6", "4"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"errors": [], "kept_equals_rebuilt": True}


def test_a_refresh_leaves_the_groups_it_wrote_decoded_as_the_rows_decode(demo, staff_user):
    """Issue 30: the worker refreshes the peers, then issues the report in the same process; the
    groups the refresh wrote are kept decoded under their new versions, equal to their rows
    decoded (the same series and options in the same order), so the report reads no arrays."""
    catalogue = demo[0].catalogue
    decoded_groups.clear()
    before = set(PeerGroupValues.objects.filter(catalogue=catalogue).values_list("version", flat=True))
    approved = latest_approved_interviews(catalogue).values_list("cluster_id", flat=True)
    approve_a_new_interview(Cluster.objects.get(pk=approved[0]), staff_user, seed=44)

    written = list(PeerGroupValues.objects.filter(catalogue=catalogue).exclude(version__in=before))
    assert {row.kind for row in written} >= {GROUPS.ALL, GROUPS.PORTFOLIO, GROUPS.COUNTRY}
    for row in written:
        kept, stored = decoded_groups.get(row.version), StoredGroup.decode(row)
        assert kept == stored, (row.kind, row.key)
        assert list(kept.numbers) == list(stored.numbers) and list(kept.options) == list(stored.options)
    read = read_stored_groups(PeerGroupValues.objects.filter(catalogue=catalogue))
    assert all(read[(row.kind, row.key)] is decoded_groups.get(row.version) for row in written)  # not decoded again


def test_the_groups_kept_decoded_are_read_again_after_a_refresh(demo, staff_user):
    """Issue 30: a process keeps the groups it decoded under their stored version; a refresh writes
    new versions, so the next report reads the new values, never the kept ones."""
    today = timezone.localdate()
    catalogue = demo[0].catalogue
    indicators = list(Indicator.objects.filter(catalogue=catalogue))
    decoded_groups.clear()
    all_clusters = (GROUPS.ALL, None)
    before = comparable(load_peer_pool(catalogue, indicators, today=today).group(all_clusters))
    version = PeerGroupValues.objects.get(catalogue=catalogue, kind=GROUPS.ALL).version
    kept = decoded_groups.get(version)
    assert kept is not None
    # Read again: the same decoded group, its arrays not sent by the database.
    rows = PeerGroupValues.objects.filter(catalogue=catalogue, kind=GROUPS.ALL)
    assert read_stored_groups(rows)[(GROUPS.ALL, "")] is kept

    gold = set(Label.objects.filter(level=Label.Level.GOLD).valid_on(today).values_list("cluster_id", flat=True))
    cluster_id = next(
        pk for pk in latest_approved_interviews(catalogue).values_list("cluster_id", flat=True) if pk not in gold
    )
    approve_a_new_interview(Cluster.objects.get(pk=cluster_id), staff_user, seed=43)

    assert PeerGroupValues.objects.get(catalogue=catalogue, kind=GROUPS.ALL).version != version
    after = comparable(load_peer_pool(catalogue, indicators, today=today).group(all_clusters))
    assert after != before
    assert_groups_equal_the_answers(catalogue, today)
