"""The report snapshot: groups, statistics with known answers, minimum group size, and permanence."""

import datetime
import statistics as stdlib
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarking.models import Label, Report
from benchmarking.selectors.reports import build_snapshot
from benchmarking.services.reports import CODE_PATTERN, ReportError, report_issue
from clusters.models import ComparativePortfolio
from tests import factories

B4_PEERS = [1, 2, 3, 4, 5, 6, 7]


def indicator(snapshot, code):
    return next(i for c in snapshot["categories"] for i in c["indicators"] if i["code"] == code)


def group(snapshot, key):
    return next(g for g in snapshot["groups"] if g["key"] == key)


@pytest.fixture
def ict(reference_data):
    return ComparativePortfolio.objects.get(slug="ict")


def peer(portfolio, country="DE", seed=1, **values):
    cluster = factories.ClusterFactory(portfolio=portfolio, country=country)
    return factories.approved_interview(cluster=cluster, seed=seed, values=values)


@pytest.fixture
def peers(ict):
    """Seven German ICT peers with known B4 (FTE), A2 (legal form) and B8 (strategy) answers."""
    forms = ["association", "association", "association", "limited company", "foundation", "association", "other"]
    return [
        peer(ict, seed=n, B4=Decimal(v), A2=forms[n], B8=n % 2 == 0, A5={"SMEs": 10 * (n + 1), "large companies": 10})
        for n, v in enumerate(B4_PEERS)
    ]


@pytest.fixture
def own(ict, peers):
    return peer(ict, seed=99, B4=Decimal("4.5"), A2="association", B8=True, A5={"SMEs": 30, "large companies": 10})


def test_numbers_have_the_quartiles_and_rank_of_an_independent_computation(own):
    snapshot = build_snapshot(own)
    stats = indicator(snapshot, "B4")["series"][0]["groups"]["portfolio"]
    assert stats["n"] == 7 and stats["missing"] == 0
    assert [stats["q1"], stats["median"], stats["q3"]] == pytest.approx(
        stdlib.quantiles(B4_PEERS, n=4, method="inclusive")
    )
    assert [stats["q1"], stats["median"], stats["q3"]] == pytest.approx(np.percentile(B4_PEERS, [25, 50, 75]))
    assert stats["rank"] == pytest.approx(100 * 4 / 7, abs=1e-4)  # four of seven peers below 4.5
    assert indicator(snapshot, "B4")["own"] == "4.5\u00a0FTE"


def test_the_cluster_is_never_its_own_peer(own, ict):
    # The cluster's earlier benchmarking does not count either: each cluster once, with its latest.
    factories.approved_interview(cluster=own.cluster, date=own.date - datetime.timedelta(days=700), values={"B4": 100})
    snapshot = build_snapshot(own)
    assert group(snapshot, "all")["n"] == 7
    assert indicator(snapshot, "B4")["series"][0]["groups"]["all"]["median"] == 4


def test_counts_have_statistics_per_part_and_derived_shares(own):
    a5 = {s["name"]: s for s in indicator(build_snapshot(own), "A5")["series"]}
    smes = [10 * (n + 1) for n in range(7)]
    assert a5["SMEs"]["groups"]["all"]["median"] == pytest.approx(np.median(smes))
    shares = [100 * s / (s + 10) for s in smes]
    derived = a5["SMEs|share"]["groups"]["all"]
    assert [derived["q1"], derived["median"], derived["q3"]] == pytest.approx(
        np.percentile(shares, [25, 50, 75]), abs=1e-4
    )
    assert a5["SMEs|share"]["own"] == pytest.approx(75.0)
    assert derived["rank"] == pytest.approx(np.mean([(s < 75) + 0.5 * (s == 75) for s in shares]) * 100, abs=1e-4)


def test_choices_and_yes_no_have_distributions_with_the_own_answer(own):
    snapshot = build_snapshot(own)
    a2 = indicator(snapshot, "A2")["distribution"]
    assert a2["own"] == ["association"]
    counts = {r["option"]: r["count"] for r in a2["groups"]["all"]["rows"]}
    assert counts["association"] == 4 and counts["limited company"] == 1 and counts["public agency"] == 0
    b8 = indicator(snapshot, "B8")["distribution"]
    assert b8["own"] == ["yes"]
    assert {r["option"]: r["count"] for r in b8["groups"]["all"]["rows"]} == {"yes": 4, "no": 3}


def test_missing_values_are_excluded_and_counted(own, ict, peers):
    factories.approved_interview(cluster=peers[0].cluster, seed=5, values={"B4": None})  # now its latest: unknown
    stats = indicator(build_snapshot(own), "B4")["series"][0]["groups"]["all"]
    assert stats["n"] == 6 and stats["missing"] == 1
    assert stats["median"] == pytest.approx(np.median(B4_PEERS[1:]))


def test_a_group_below_the_minimum_size_is_not_shown_and_says_why(own, ict, settings):
    snapshot = build_snapshot(own)
    excellence = group(snapshot, "excellence")
    assert excellence["shown"] is False and excellence["n"] == 0
    assert "at least 6 are needed" in excellence["reason"]
    assert "excellence" not in indicator(snapshot, "B4")["series"][0]["groups"]
    settings.ECEI_REPORT_MIN_GROUP_SIZE = 8  # seven peers are now too few
    snapshot = build_snapshot(own)
    assert [g["shown"] for g in snapshot["groups"]] == [False, False, False, False]
    assert "7 other clusters" in group(snapshot, "portfolio")["reason"]


def test_a_group_of_exactly_the_minimum_size_is_shown(ict, peers):
    own = peer(ict, seed=50, country="FR")
    for n in range(5):
        peer(ict, country="FR", seed=60 + n)
    snapshot = build_snapshot(own)
    assert group(snapshot, "country")["n"] == 5 and not group(snapshot, "country")["shown"]
    peer(ict, country="FR", seed=70)
    assert group(build_snapshot(own), "country")["shown"]


def test_the_excellence_group_holds_only_valid_gold_labels(own, peers):
    today = datetime.date.today()
    for p in peers[:6]:
        factories.LabelFactory(
            cluster=p.cluster,
            level=Label.Level.GOLD,
            valid_from=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=300),
            benchmarked_on=today,
        )
    factories.LabelFactory(
        cluster=peers[6].cluster,
        level=Label.Level.GOLD,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2022, 1, 1),
    )  # expired
    snapshot = build_snapshot(own)
    assert group(snapshot, "excellence")["n"] == 6 and group(snapshot, "excellence")["shown"]
    assert indicator(snapshot, "B4")["series"][0]["groups"]["excellence"]["median"] == pytest.approx(3.5)
    peers[0].cluster.labels.update(status=Label.Status.SUSPENDED)
    assert not group(build_snapshot(own), "excellence")["shown"]


def test_an_issued_report_keeps_its_numbers_after_new_interviews(own, ict, staff_user):
    report = report_issue(interview=own, user=staff_user)
    before = Report.objects.get(pk=report.pk).snapshot
    for n in range(10):
        peer(ict, seed=200 + n, B4=Decimal(50 + n))
    reopened = Report.objects.get(pk=report.pk)
    assert reopened.snapshot == before
    assert indicator(reopened.snapshot, "B4")["series"][0]["groups"]["all"]["median"] == 4
    reissued = report_issue(interview=own, user=staff_user)
    assert reissued.version == 2 and reissued.code != report.code
    assert indicator(reissued.snapshot, "B4")["series"][0]["groups"]["all"]["median"] == pytest.approx(
        np.median(B4_PEERS + list(range(50, 60)))
    )
    assert Report.objects.get(pk=report.pk).snapshot == before


def test_report_codes_follow_the_label_pattern_and_are_never_reused(own, peers, staff_user):
    first = report_issue(interview=own, user=staff_user)
    second = report_issue(interview=peers[0], user=staff_user)
    again = report_issue(interview=own, user=staff_user)
    assert CODE_PATTERN.match(first.code)["country"] == "DEU"
    assert first.code == f"DEU001{own.date:%Y%m}R1"
    assert second.code.startswith("DEU002")
    assert again.code == f"DEU001{own.date:%Y%m}R2"
    assert len({first.code, second.code, again.code}) == 3


def test_only_approved_interviews_have_reports(ict):
    interview = factories.InterviewFactory()
    with pytest.raises(ReportError):
        report_issue(interview=interview, user=None)


def count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("extra_peers", [0, 12])
def test_building_a_snapshot_costs_a_fixed_number_of_queries(own, ict, extra_peers, django_assert_num_queries):
    for n in range(extra_peers):
        peer(ict, seed=300 + n, country="AT")
    # interview (with its previous one's id), indicators, answers, rules, expert recommendations,
    # the four stored groups (one query), valid Gold labels, and its own stored peer values
    # with those of the clusters entering or leaving the excellence group since it was stored
    with django_assert_num_queries(8):
        build_snapshot(own)


def test_a_bulk_issue_costs_the_same_queries_for_8_or_14_reports(own, ict):
    """Per batch: the inputs, and the batch's own stored values in one query (not one per report)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarking.selectors.reports import latest_snapshots

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            reports = len(list(latest_snapshots(own.catalogue, batch=100)))
        return reports, len(captured)

    eight, few = queries()
    for n in range(6):
        peer(ict, seed=400 + n)  # the same groups: a group is read once, when a report first needs it
    fourteen, many = queries()
    assert (eight, fourteen) == (8, 14)
    assert many == few


def test_with_a_previous_benchmarking_one_more_query_for_the_progress(own, django_assert_num_queries):
    factories.approved_interview(cluster=own.cluster, date=own.date - datetime.timedelta(days=700))
    # + the previous interview (its answers come with the cluster's own; same catalogue version)
    with django_assert_num_queries(9):
        build_snapshot(own)


def test_the_bulk_issue_gives_each_cluster_the_snapshot_of_a_single_issue(own, peers, staff_user):
    """seed_demo's bulk issue and the secretariat's approval take the same path."""
    from benchmarking.selectors.reports import latest_snapshots
    from benchmarking.services.reports import reports_issue_latest

    # An earlier benchmarking of one cluster, so that the progress section is compared too.
    factories.approved_interview(cluster=own.cluster, date=own.date - datetime.timedelta(days=700), seed=5)
    expected = {interview.pk: build_snapshot(interview) for interview in [own, *peers]}

    bulk = {interview.pk: snapshots["en"] for interview, snapshots in latest_snapshots(own.catalogue, batch=3)}

    assert bulk == expected
    assert expected[own.pk]["progress"] is not None
    assert reports_issue_latest(catalogue=own.catalogue, user=staff_user, batch=3) == 8
    assert {r.interview_id: r.snapshot for r in Report.objects.all()} == expected


def test_reports_from_one_pool_keep_no_combination_of_several_options(ict):
    """A pool serving many reports (seed_demo's bulk issue) keeps per group the option counts
    many clusters share (no answer or one option left out), not a combination of several
    options: that is nearly each cluster's own, and keeping those grew seed_demo's workers with
    every report. The reports are those of a single issue either way."""
    from benchmarking.selectors.reports import load_peer_pool
    from benchmarking.selectors.reports.inputs import catalogue_indicators, load_report_inputs
    from benchmarking.selectors.reports.snapshot import snapshots_from

    forces = ["industry", "research and education", "regional government", "national government", "other"]
    combinations = [forces[:2], forces[1:3], forces[2:5], ["industry"], ["other"], forces, []]
    interviews = [peer(ict, seed=n, A3=chosen) for n, chosen in enumerate(combinations)]
    singles = [build_snapshot(interview) for interview in interviews]
    assert [sorted(indicator(s, "A3")["distribution"]["own"]) for s in singles] == [sorted(c) for c in combinations]

    catalogue, today = interviews[0].catalogue, timezone.localdate()
    pool = load_peer_pool(catalogue, catalogue_indicators(catalogue), today=today)
    from_pool = [snapshots_from(load_report_inputs(i), pool, today=today)["en"] for i in interviews]

    assert from_pool == singles
    left_out = [memo[4] for data in pool._groups.values() for memo in data.kept if memo[0] == "options"]
    assert ("industry",) in left_out and () in left_out  # one option; none chosen
    assert all(chosen is None or len(chosen) <= 1 for chosen in left_out)
