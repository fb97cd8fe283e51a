"""The user name derived from an e-mail address (accounts.usernames)."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator

from accounts.usernames import username_candidates, username_for_email
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  Ana.Ruiz+ecei@Example.org ", "Ana.Ruiz+ecei@Example.org"),
        ("o'brien@example.org", "obrien@example.org"),
        ('"ana ruiz"@example.org', "anaruiz@example.org"),
        ("josé.núñez@example.org", "josé.núñez@example.org"),  # letters of any script are allowed
        ("ana{}|~!#$%&*/=?^`@example.org", "ana@example.org"),
    ],
)
def test_the_address_cleaned_is_the_first_candidate(email, expected):
    assert next(username_candidates(email, 150)) == expected


@pytest.mark.parametrize("email", ["o'brien@example.org", "a" * 64 + "@" + "b" * 180 + ".org", "'@example.org"])
def test_every_candidate_passes_djangos_rules(email):
    validate = UnicodeUsernameValidator()
    for name in itertools.islice(username_candidates(email, 150), 12):
        validate(name)
        assert 0 < len(name) <= 150


def test_numbered_candidates_keep_within_the_length():
    first, second, *_ = itertools.islice(username_candidates("x" * 200 + "@example.org", 150), 12)
    assert first == "x" * 150 and second == "x" * 148 + "-2"


def test_a_taken_name_is_compared_case_insensitively(db):
    UserFactory(username="OBrien@example.org")
    UserFactory(username="obrien@example.org-2")
    assert username_for_email("o'brien@example.org") == "obrien@example.org-3"


def test_the_address_itself_when_free(db):
    assert username_for_email("ana@example.org") == "ana@example.org"
    assert not get_user_model().objects.exists()
