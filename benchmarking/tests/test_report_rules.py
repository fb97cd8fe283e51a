"""The recommendation rules (data, from fixtures/recommendation_rules_v1.json) and the progress table."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from benchmarking.models import Indicator, RecommendationRule
from benchmarking.selectors.reports import build_snapshot
from clusters.models import ComparativePortfolio
from tests import factories


@pytest.fixture
def ict(reference_data):
    return ComparativePortfolio.objects.get(slug="ict")


@pytest.fixture
def peers(ict):
    # B4 (FTE) of the seven portfolio peers: 1..7, lower quartile 2.5, median 4.
    return [
        factories.approved_interview(
            cluster=factories.ClusterFactory(portfolio=ict), seed=n, values={"B4": Decimal(n + 1)}
        )
        for n in range(7)
    ]


def own_interview(ict, **values):
    return factories.approved_interview(cluster=factories.ClusterFactory(portfolio=ict), seed=77, values=values)


def rule(code, condition, *, threshold=None, answer="", group="portfolio", serves="silver"):
    return RecommendationRule.objects.create(
        indicator=Indicator.objects.get(catalogue__version="1", code=code),
        condition=condition,
        threshold=threshold,
        answer=answer,
        group=group,
        text=f"Do something about {code}.",
        serves=serves,
    )


def fired(snapshot):
    return [(r["indicator"], r["text"]) for c in snapshot["categories"] for r in c["recommendations"]]


C = RecommendationRule.Condition


@pytest.mark.parametrize(
    ("b4", "condition", "threshold", "fires"),
    [
        ("2", C.BELOW_PERCENTILE, 25, True),  # 2 < lower quartile 2.5
        ("2.5", C.BELOW_PERCENTILE, 25, False),  # equal is not below
        ("3", C.BELOW_PERCENTILE, 25, False),
        ("3.9", C.BELOW_PERCENTILE, 50, True),  # below the median 4
        ("5.6", C.ABOVE_PERCENTILE, 75, True),  # above the upper quartile 5.5
        ("5.5", C.ABOVE_PERCENTILE, 75, False),
        ("0.4", C.BELOW_VALUE, "0.5", True),
        ("0.5", C.BELOW_VALUE, "0.5", False),
        ("9", C.ABOVE_VALUE, "8", True),
    ],
)
def test_number_rules(ict, peers, b4, condition, threshold, fires):
    rule("B4", condition, threshold=Decimal(str(threshold)))
    snapshot = build_snapshot(own_interview(ict, B4=Decimal(b4)))
    assert (fired(snapshot) == [("B4", "Do something about B4.")]) is fires


def test_the_reason_names_the_group_and_the_cut(ict, peers):
    rule("B4", C.BELOW_PERCENTILE, threshold=Decimal(25), serves="gold")
    recommendation = build_snapshot(own_interview(ict, B4=Decimal(2)))["categories"][1]["recommendations"][0]
    assert (
        recommendation["reason"]
        == "2 is below the lower quartile of the group “Same comparative portfolio: ICT” (2.5)."
    )
    assert recommendation["serves"] == "gold"


def test_a_percentile_rule_needs_a_group_large_enough(ict, peers):
    rule("B4", C.BELOW_PERCENTILE, threshold=Decimal(25), group="excellence")  # no Gold peers
    assert fired(build_snapshot(own_interview(ict, B4=Decimal(0.5)))) == []


def test_a_missing_answer_never_fires(ict, peers):
    rule("B4", C.BELOW_VALUE, threshold=Decimal(1))
    assert fired(build_snapshot(own_interview(ict, B4=None))) == []


@pytest.mark.parametrize(
    ("code", "answer", "value", "fires"),
    [
        ("B8", "no", False, True),
        ("B8", "no", True, False),
        ("B9", "no action plan", "no action plan", True),
        ("B9", "no action plan", "action plan without indicators", False),
        ("D1", "not: internationalisation", ["matchmaking and networking"], True),
        ("D1", "not: internationalisation", ["internationalisation"], False),
        ("D1", "internationalisation", ["internationalisation"], True),
    ],
)
def test_answer_rules(ict, peers, code, answer, value, fires):
    rule(code, C.ANSWER_IS, answer=answer)
    assert bool(fired(build_snapshot(own_interview(ict, **{code: value})))) is fires


def test_inactive_rules_are_ignored(ict, peers):
    rule("B4", C.BELOW_VALUE, threshold=Decimal(100)).__class__.objects.update(is_active=False)
    assert fired(build_snapshot(own_interview(ict, B4=Decimal(1)))) == []


def test_the_v1_rules_fixture_loads_and_fires(ict, peers):
    call_command("loaddata", "recommendation_rules_v1", verbosity=0)
    assert RecommendationRule.objects.count() >= 20
    snapshot = build_snapshot(own_interview(ict, B4=Decimal("0.4"), B8=False))
    codes = {code for code, _text in fired(snapshot)}
    assert {"B4", "B8"} <= codes
    assert all(r.serves in ("silver", "gold") for r in RecommendationRule.objects.all())


# --- Progress -----------------------------------------------------------------------------------


def test_the_progress_table_marks_changes_by_direction(ict, peers):
    cluster = factories.ClusterFactory(portfolio=ict)
    today = datetime.date.today()
    factories.approved_interview(
        cluster=cluster,
        seed=5,
        date=today - datetime.timedelta(days=720),
        values={"B4": Decimal(2), "B7": 0, "A2": "association", "B8": False},
    )
    current = factories.approved_interview(
        cluster=cluster,
        seed=5,
        date=today - datetime.timedelta(days=7),
        values={"B4": Decimal(3), "B7": 2, "A2": "foundation", "B8": False},
    )
    progress = build_snapshot(current)["progress"]
    trends = {row["code"]: row["trend"] for row in progress["rows"]}
    assert trends["B4"] == "improved"  # more staff, higher is better
    assert trends["B7"] == "declined"  # more staff left, lower is better
    assert trends["A2"] == "changed"  # neither better nor worse
    assert trends["B8"] == "unchanged"
    assert progress["previous_date"] == (today - datetime.timedelta(days=720)).isoformat()
    row = next(r for r in progress["rows"] if r["code"] == "B4")
    assert (row["before"], row["after"]) == ("2\u00a0FTE", "3\u00a0FTE")


def test_a_first_benchmarking_has_no_progress_table(ict, peers):
    assert build_snapshot(peers[0])["progress"] is None
