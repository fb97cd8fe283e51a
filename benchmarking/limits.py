"""Length limits of the free texts people write (README, "Limits").

Each is checked by the service that stores the text (so every door applies it) and shown
by the form next to the field. Long enough for a real explanation; short enough to be read
in a history list and to keep a pasted document out.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext

# Why a label is suspended, reinstated or withdrawn; why an interview is rejected or reopened.
REASON_MAX_LENGTH = 1000
# The reviewer's comment on a returned interview, and on one answer; an area of improvement.
COMMENT_MAX_LENGTH = 2000


def too_long(text: str, limit: int, what: str) -> str | None:
    """Why `text` is too long for `what` (a translated noun phrase: "the reason"), or None."""
    if len(text) > limit:
        return gettext("%(what)s can be at most %(limit)s characters long (this one has %(length)s).") % {
            "what": capfirst(what),
            "limit": limit,
            "length": len(text),
        }
    return None
