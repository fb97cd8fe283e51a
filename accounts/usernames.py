"""The user name of an account made from an e-mail address (the invited cluster manager's).

The address itself is the user name whenever Django's user name rules allow it (letters,
digits and . @ + - _, at most 150 characters), so most managers log in with their address.
Any valid address is accepted, though: o'brien@example.org, or one longer than 150
characters, gets the nearest valid name (obrien@example.org, cut to length), and a name
already taken, in any case, gets a numbered suffix (-2, -3 ...).

Deriving a name rather than logging in by e-mail keeps one log-in identifier for every
account: e-mail addresses are not unique among Django's users, django-axes throttles by user
name, and there is no second authentication backend to keep in step with the first.
"""

import re
from collections.abc import Iterator

from django.contrib.auth import get_user_model

# Everything Django's UnicodeUsernameValidator (^[\w.@+-]+\Z) does not allow.
NOT_ALLOWED = re.compile(r"[^\w.@+-]")


def _max_length() -> int:
    return get_user_model()._meta.get_field("username").max_length


def username_candidates(email: str, max_length: int) -> Iterator[str]:
    """The valid user names for `email`, best first: the address (cleaned), then numbered."""
    base = NOT_ALLOWED.sub("", email.strip()) or "manager"
    yield base[:max_length]
    number = 2
    while True:
        suffix = f"-{number}"
        yield base[: max_length - len(suffix)] + suffix
        number += 1


def username_for_email(email: str) -> str:
    """The first valid user name for `email` that no account has (compared case-insensitively)."""
    users = get_user_model().objects
    candidates = username_candidates(email, _max_length())
    return next(name for name in candidates if not users.filter(username__iexact=name).exists())
