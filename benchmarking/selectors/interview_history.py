"""The change history of an interview, read from the history tables: its answers (with each new
value's source), its status and details, the reviewer's comments and the manager's invitation.

A fixed number of queries, whatever the number of indicators.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.models import Answer, Interview, ManagerInvitation, ReviewComment
from benchmarking.selectors.interviews import format_answer


@dataclass
class Change:
    when: object
    who: str
    indicator: str
    field: str
    old: str
    new: str
    source: str = ""  # of a new value: the manager's proposal confirmed or changed, or the expert's (issue 16)


ANSWER_DIFF_FIELDS = {
    "missing_reason": gettext_lazy("reason"),
    "comment": gettext_lazy("comment"),
    "accepted_warnings": gettext_lazy("accepted warnings"),
}
INTERVIEW_DIFF_FIELDS = {
    "status": gettext_lazy("status"),
    "review_comment": gettext_lazy("reviewer's comment"),
    "date": gettext_lazy("interview date"),
    "interviewee_name": gettext_lazy("interviewee"),
    "interviewee_role": gettext_lazy("interviewee's role"),
    "mode": gettext_lazy("mode"),
}


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _answer_field_text(record, name: str) -> str:
    if record is None:
        return ""
    value = getattr(record, name)
    if name == "missing_reason":
        return Answer.MissingReason(value).label if value else ""
    if name == "accepted_warnings":
        return " / ".join(value or [])
    return value or ""


def _answer_changes(records) -> list[Change]:
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        indicator = record.indicator
        # A reason is shown as its own field, so "value" compares values only.
        pairs = [
            (
                gettext_lazy("value"),
                "" if before is None or before.missing_reason else format_answer(indicator, before),
                "" if record.missing_reason else format_answer(indicator, record),
            )
        ] + [
            (label, _answer_field_text(before, name), _answer_field_text(record, name))
            for name, label in ANSWER_DIFF_FIELDS.items()
        ]
        who = _who(record)
        source = Answer.Source(record.source).label if record.source else ""
        for label, old, new in pairs:
            if old != new:
                changes.append(Change(record.history_date, who, indicator.code, label, old, new, source))
        if not any(old != new for _label, old, new in pairs) and before is not None and before.source != record.source:
            old_source = Answer.Source(before.source).label if before.source else ""
            changes.append(Change(record.history_date, who, indicator.code, gettext_lazy("source"), old_source, source))
        previous[record.id] = record
    return changes


def _display(record, name: str) -> str:
    if record is None:
        return ""
    method = getattr(record, f"get_{name}_display", None)
    return str(method() if method else getattr(record, name))


def _interview_changes(records) -> list[Change]:
    changes, before = [], None
    for record in records:
        for name, label in INTERVIEW_DIFF_FIELDS.items():
            old, new = _display(before, name), _display(record, name)
            if old != new:
                changes.append(Change(record.history_date, _who(record), _("Interview"), label, old, new))
        before = record
    return changes


def _comment_changes(comments) -> list[Change]:
    """The reviewer's comments on answers, each a change of the comment, not of the answer."""
    changes, before = [], {}
    for comment in comments:
        code = comment.indicator.code
        who = comment.author.get_full_name() or comment.author.get_username()
        label = INTERVIEW_DIFF_FIELDS["review_comment"]
        changes.append(Change(comment.written_at, who, code, label, before.get(code, ""), comment.text))
        before[code] = comment.text
    return changes


# The events of the manager's invitation (issue 16): a date column set or changed.
INVITATION_EVENTS = {
    "sent_at": gettext_lazy("invitation sent"),
    "accepted_at": gettext_lazy("invitation accepted"),
    "revoked_at": gettext_lazy("invitation revoked"),
    "ready_at": gettext_lazy("ready for the interview"),
}


def _invitation_changes(records) -> list[Change]:
    """The manager's invitation: sent (again), accepted, revoked, marked ready; never its token."""
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        for name, label in INVITATION_EVENTS.items():
            if getattr(record, name) is not None and (before is None or getattr(before, name) != getattr(record, name)):
                who = record.manager if name in ("accepted_at", "ready_at") and record.manager else None
                new = record.email if who is None else (who.get_full_name() or who.get_username())
                changes.append(Change(record.history_date, _who(record), _("Manager's questionnaire"), label, "", new))
        previous[record.id] = record
    return changes


def interview_history(interview: Interview) -> list[Change]:
    """Every change to the interview, its answers, the reviewer's comments and the manager's
    invitation, newest first (four queries)."""
    answer_records = (
        Answer.history.filter(interview_id=interview.pk)
        .select_related("indicator", "history_user")
        .order_by("history_date", "history_id")
    )
    interview_records = (
        Interview.history.filter(id=interview.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    comments = ReviewComment.objects.filter(interview=interview).select_related("indicator", "author")
    invitation_records = (
        ManagerInvitation.history.filter(interview_id=interview.pk)
        .select_related("history_user", "manager")
        .order_by("history_date", "history_id")
    )
    changes = (
        _answer_changes(answer_records)
        + _interview_changes(interview_records)
        + _comment_changes(comments)
        + _invitation_changes(invitation_records)
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes
