"""The differencing attack, tried by a manager's script: many overlapping groups, through the API,
to recover one known cluster's answer (B4 = 77 FTE, far above everybody else's). It fails: every
pair of shown figures rests on clusters that are the same or differ by at least 6."""

import itertools

import pytest
from django.urls import reverse

from benchmarking.models import Indicator, PeerValue
from comparisons.models import Comparison, ShownGroup
from comparisons.selectors.groups import decode_members
from comparisons.tests.helpers import benchmarked, login

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SECRET = 77.0


@pytest.fixture
def target(ict, peers):
    """The cluster whose answer the attacker wants: alone in Poland with a B4 answer; five Polish
    clusters that did not answer B4 make a Polish group big enough to pass the size rule."""
    target = benchmarked(1, portfolio=ict, country="PL", seed=500, values=lambda i: {"B4": SECRET})[0]
    benchmarked(5, portfolio=ict, country="PL", seed=600, values=lambda i: {"B4": None})
    benchmarked(3, portfolio=ict, country="CZ", seed=700)
    return target


def b4(body):
    entry = next(i for i in body["indicators"] if i["code"] == "B4")
    return entry["series"][0]


def contributors(catalogue_id, fingerprint, answered):
    members = ShownGroup.objects.get(catalogue_id=catalogue_id, fingerprint=fingerprint).members
    return frozenset(int(pk) for pk in decode_members(members)) & answered


def test_the_attackers_script_recovers_nothing(client, own, manager, target, peers):
    login(client, manager)
    api = reverse("comparisons:api", args=[own.slug])
    countries = ["DE", "AT", "FR", "PL", "CZ"]
    portfolio_choices = [[], [own.portfolio_id]]
    shown, refused, withheld = [], 0, 0
    for size in range(1, len(countries) + 1):
        for chosen in itertools.combinations(countries, size):
            for portfolios in portfolio_choices:
                response = client.get(api, {"countries": list(chosen), "portfolios": portfolios})
                if response.status_code == 409:
                    refused += 1
                    continue
                assert response.status_code == 200
                series = b4(response.json())
                if series["withheld"]:
                    withheld += 1
                if series["figures"]:
                    record = Comparison.objects.filter(user=manager).latest("created_at")
                    shown.append((chosen, portfolios, record, series["figures"]))
    assert refused and withheld and shown  # the rules were put to work
    b4_indicator = Indicator.objects.get(catalogue=shown[0][2].catalogue, code="B4")
    answered = set(
        PeerValue.objects.filter(indicator=b4_indicator, series="", role="number").values_list("cluster_id", flat=True)
    )
    sets = [contributors(r.catalogue_id, r.fingerprint, answered) for _c, _p, r, _f in shown]
    for a, b in itertools.combinations(sets, 2):
        assert len(a ^ b) == 0 or len(a ^ b) >= 6  # no two shown figures isolate fewer than 6 clusters
    # What the attacker reads of the target: nothing but figures of 6 or more clusters, never its answer alone.
    assert all(figures["n"] >= 6 for _c, _p, _r, figures in shown)
    assert not any(target.pk in (a ^ b) and len(a ^ b) < 6 for a, b in itertools.combinations(sets, 2))


def test_adding_the_target_to_a_shown_group_is_refused(client, own, manager, target):
    login(client, manager)
    api = reverse("comparisons:api", args=[own.slug])
    first = client.get(api, {"countries": ["DE"]})
    assert first.status_code == 200
    with_czech = client.get(api, {"countries": ["DE", "CZ"]})  # three more: too close
    assert with_czech.status_code == 409
    assert with_czech.json()["code"] == "too_close" and with_czech.json()["needed"] == 3
    with_poland = client.get(api, {"countries": ["DE", "PL"]})  # six more, one of them answered B4
    assert with_poland.status_code == 200
    assert b4(with_poland.json())["withheld"] is True
    assert b4(with_poland.json())["figures"] is None


def test_the_secretariat_is_not_guarded_and_leaves_no_trace_for_the_cluster(client, own, staff_user, target):
    login(client, staff_user)
    api = reverse("comparisons:api", args=[own.slug])
    assert client.get(api, {"countries": ["DE"]}).status_code == 200
    assert client.get(api, {"countries": ["DE", "CZ"]}).status_code == 200
    assert not ShownGroup.objects.exists()
    assert Comparison.objects.count() == 2
