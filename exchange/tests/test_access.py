"""Who may download what: the permission matrix of every exchange URL."""

import pytest
from django.urls import reverse

from benchmarking.tests.interview_helpers import login

ANONYMOUS, PLAIN, EXPERT, STAFF = "anonymous", "plain user", "expert", "staff"

URLS = {
    "exports": lambda: reverse("exchange:exports"),
    "codebook_csv": lambda: reverse("exchange:codebook", args=["1", "csv"]),
    "codebook_xlsx": lambda: reverse("exchange:codebook", args=["1", "xlsx"]),
    "analysis": lambda: reverse("exchange:analysis") + "?catalogue=1&layout=wide&format=csv",
    "legacy_import": lambda: reverse("exchange:legacy_import"),
}
# (url, method) -> expected status for anonymous, plain user, expert, staff.
# Everything here is for the secretariat: others get 403, anonymous visitors log in first.
MATRIX = {
    ("exports", "get"): (302, 403, 403, 200),
    ("codebook_csv", "get"): (302, 403, 403, 200),
    ("codebook_xlsx", "get"): (302, 403, 403, 200),
    ("analysis", "get"): (302, 403, 403, 200),
    ("exports", "post"): (302, 403, 403, 405),
    ("analysis", "post"): (302, 403, 403, 405),
    ("legacy_import", "get"): (302, 403, 403, 200),
    ("legacy_import", "post"): (302, 403, 403, 400),  # the staff's empty POST: "a file is required"
    ("legacy_import", "put"): (302, 403, 403, 405),
}
CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate((ANONYMOUS, PLAIN, EXPERT, STAFF))
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(client, catalogue, plain_user, expert, staff_user, name, method, who, expected):
    users = {PLAIN: plain_user, EXPERT: expert.user, STAFF: staff_user}
    if who != ANONYMOUS:
        login(client, users[who])
    response = getattr(client, method)(URLS[name]())
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_an_inactive_staff_user_is_refused(client, catalogue, staff_user):
    staff_user.is_active = False
    staff_user.save()
    client.force_login(staff_user)
    assert client.get(URLS["codebook_csv"]()).status_code in (302, 403)


def test_the_import_page_requires_a_csrf_token(catalogue, staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(URLS["legacy_import"](), {"dry_run": "on"}).status_code == 403
