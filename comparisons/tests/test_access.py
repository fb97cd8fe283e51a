"""Who may open each comparison URL: the permission matrix, and query counts that stay flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comparisons.models import SavedComparison
from comparisons.tests.helpers import benchmarked, login
from tests import factories

pytestmark = pytest.mark.django_db

ANONYMOUS, PLAIN, OTHER_MANAGER, EXPERT, MANAGER, STAFF = (
    "anonymous", "plain user", "other manager", "expert", "manager", "staff",
)  # fmt: skip
WHO = (ANONYMOUS, PLAIN, OTHER_MANAGER, EXPERT, MANAGER, STAFF)

# (url name, method) -> expected status for each of WHO. Someone else's cluster is a 404 (its
# existence is not theirs to know); the interviewing expert reads the report but does not compare.
MATRIX = {
    ("compare", "get"): (302, 404, 404, 404, 200, 200),
    ("compare", "post"): (405, 405, 405, 405, 405, 405),
    ("save", "post"): (302, 404, 404, 404, 302, 302),
    ("save", "get"): (405, 405, 405, 405, 405, 405),
    ("delete", "post"): (302, 404, 404, 404, 302, 302),
    ("csv", "get"): (302, 404, 404, 404, 200, 200),
    ("pdf", "post"): (405, 405, 405, 405, 405, 405),
    ("api", "get"): (401, 404, 404, 404, 200, 200),
    ("api", "post"): (401, 405, 405, 405, 405, 405),  # DRF: authenticated first, then the method
}
CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate(WHO)
]


@pytest.fixture
def users(own, ict, staff_user, plain_user):
    """Six German peers (just enough to be shown) and a manager of one of them."""
    six = benchmarked(6, portfolio=ict, country="DE", seed=1)
    other = factories.UserFactory(username="other-manager")
    six[0].managers.add(other)
    expert = factories.ExpertFactory()
    return {
        PLAIN: plain_user,
        OTHER_MANAGER: other,
        EXPERT: expert.user,
        MANAGER: own.managers.get(),
        STAFF: staff_user,
    }


def _url(name, cluster):
    if name == "delete":
        saved = SavedComparison.objects.create(cluster=cluster, name="Mine", filters={"countries": ["DE"]})
        return reverse("comparisons:delete", args=[cluster.slug, saved.pk])
    return reverse(f"comparisons:{name}", args=[cluster.slug])


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(client, own, manager, users, name, method, who, expected):
    if who != ANONYMOUS:
        login(client, users[who])
    data = {"countries": ["DE"], "compare": "1"} if method == "get" else {"name": "Germany", "countries": ["DE"]}
    if name == "api" and method == "post":
        data = {}
    response = getattr(client, method)(_url(name, own), data)
    assert response.status_code == expected
    if expected == 302 and who == ANONYMOUS:
        assert response["Location"].startswith(reverse("login"))


def _queries(client, own):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("comparisons:compare", args=[own.slug]), {"countries": ["DE", "AT"], "compare": "1"}
        )
    assert response.status_code == 200
    return len(queries)


def test_queries_stay_flat_as_clusters_grow(client, own, manager, peers, ict):
    login(client, manager)
    _queries(client, own)  # the columns read once (as a running server keeps them)
    first = _queries(client, own)
    benchmarked(15, portfolio=ict, country="AT", seed=900)  # the store changes: its columns are read again
    _queries(client, own)
    # The same group again would be refused by the differencing rule's neighbour check only if
    # within 6; 15 more clusters keep it far enough, so the comparison is shown and counted.
    assert _queries(client, own) == first
