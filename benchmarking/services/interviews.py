"""Saving and submitting benchmarking interviews (issue 3); starting one is services/interview_start.py.

Saving uses optimistic locking: every write bumps `Interview.version` with a conditional
UPDATE, so a save based on an older version (another tab, another person) is refused
instead of silently overwriting work. Answers are written in bulk, with their history,
so that saving a step costs the same number of queries for 3 or 10 indicators.
"""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activity import actions
from activity.services import log_action
from benchmarking.kinds import VALUE_COLUMNS
from benchmarking.models import Answer, Indicator, Interview, Proposal
from benchmarking.rules.people import conflict_refusal
from benchmarking.services.notifications import notify_submitted

# The Answer columns a step writes; review_comment belongs to the secretariat.
ANSWER_FIELDS = (*VALUE_COLUMNS, "missing_reason", "comment", "accepted_warnings")


class InterviewError(Exception):
    """An interview operation the rules do not allow; the message says why, in words."""


class StaleVersionError(InterviewError):
    """The interview was saved by someone else (or another tab) since the form was opened."""

    def __init__(self, *, expected: int, current: int):
        self.expected = expected
        self.current = current
        super().__init__(
            _(
                "Not saved: this interview was changed in another tab or by another person since you "
                "opened this page. Your input is still shown below."
            )
        )


class NotEditableError(InterviewError):
    pass


class IncompleteInterviewError(InterviewError):
    def __init__(self, missing_codes: list[str]):
        self.missing_codes = missing_codes
        super().__init__(
            ngettext(
                "The interview cannot be submitted yet: %(n)s indicator has neither a value nor a reason (%(codes)s).",
                "The interview cannot be submitted yet: %(n)s indicators have neither a value nor a reason "
                "(%(codes)s).",
                len(missing_codes),
            )
            % {"n": len(missing_codes), "codes": ", ".join(missing_codes)}
        )


# --- Saving a step -----------------------------------------------------------------------


def claim_version(*, interview: Interview, expected_version: int) -> int:
    """Bump the version if it is still `expected_version` and editable; else say why not."""
    claimed = Interview.objects.filter(
        pk=interview.pk, version=expected_version, status__in=Interview.EDITABLE_STATUSES
    ).update(version=F("version") + 1, updated_at=timezone.now())
    if claimed:
        return expected_version + 1
    current = Interview.objects.values("status", "version").get(pk=interview.pk)
    if current["status"] not in Interview.EDITABLE_STATUSES:
        raise NotEditableError(_("This interview has been submitted and can no longer be changed."))
    raise StaleVersionError(expected=expected_version, current=current["version"])


def _changed(row, fields: Mapping) -> bool:
    return any(getattr(row, name) != value for name, value in fields.items())


def write_values(model, *, interview: Interview, values: Mapping[Indicator, Mapping], user) -> list[str]:
    """Write the given columns per indicator into `model` rows (Answer, Proposal) of `interview`;
    return the codes of the indicators whose row was written (for the action's log).

    Queries: the existing rows, then at most an INSERT of new rows plus their history and an
    UPDATE of changed rows plus their history: never one per indicator. Unchanged rows are
    not written, so the history shows only real changes.
    """
    existing = {
        row.indicator_id: row for row in model.objects.filter(interview=interview, indicator__in=[i.pk for i in values])
    }
    now = timezone.now()
    to_create, to_update, columns = [], [], set()
    for indicator, fields in values.items():
        row = existing.get(indicator.pk)
        columns |= set(fields)
        if row is None:
            if any(fields[name] not in (None, "", []) for name in ANSWER_FIELDS):
                to_create.append(model(interview=interview, indicator=indicator, updated_at=now, **fields))
        elif _changed(row, fields):
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, model, default_user=user)
    if to_update:
        bulk_update_with_history(to_update, model, [*sorted(columns), "updated_at"], default_user=user)
    codes = {indicator.pk: indicator.code for indicator in values}
    return [codes[row.indicator_id] for row in [*to_create, *to_update]]


# The columns that make the value: a proposal is confirmed when the answer repeats them.
VALUE_FIELDS = (*VALUE_COLUMNS, "missing_reason")


def answer_source(fields: Mapping, proposal) -> str:
    """Where an answer's value came from: the manager's proposal (confirmed or changed by the
    expert), or the expert alone (no proposal)."""
    if proposal is None or not proposal.is_answered:
        return Answer.Source.ENTERED
    if all(getattr(proposal, name) == fields[name] for name in VALUE_FIELDS):
        return Answer.Source.CONFIRMED
    return Answer.Source.CHANGED


@transaction.atomic
def interview_save_step(
    *, interview: Interview, expected_version: int, values: Mapping[Indicator, Mapping], user
) -> int:
    """Write the given answers (Answer columns per indicator) and return the new version.

    Queries: the version claim, the manager's proposals, then those of write_values.
    """
    new_version = claim_version(interview=interview, expected_version=expected_version)
    proposals = {
        p.indicator_id: p for p in Proposal.objects.filter(interview=interview, indicator__in=[i.pk for i in values])
    }
    values = {
        indicator: {**fields, "source": answer_source(fields, proposals.get(indicator.pk))}
        for indicator, fields in values.items()
    }
    written = write_values(Answer, interview=interview, values=values, user=user)
    interview.version = new_version
    if written:  # a step saved unchanged is no action
        log_action(
            action=actions.INTERVIEW_ANSWERS_SAVED,
            obj=interview,
            user=user,
            data={"indicators": written, "version": new_version},
        )
    return new_version


# --- Submitting --------------------------------------------------------------------------


@transaction.atomic
def interview_submit(*, interview: Interview, expected_version: int, user) -> Interview:
    """Hand the interview to the secretariat; only when all indicators are answered."""
    from benchmarking.selectors.interviews import unanswered_codes

    if interview.date > timezone.localdate():
        raise InterviewError(
            _("The interview is planned for %(date)s: submit it after it took place.")
            % {"date": date_format(interview.date)}
        )
    # A conflict declared since the interview binds: submitting is a step for the cluster.
    refusal = conflict_refusal(user=interview.expert.user, cluster=interview.cluster, day=timezone.localdate())
    if refusal:
        raise InterviewError(refusal)
    missing = unanswered_codes(interview)
    if missing:
        raise IncompleteInterviewError(missing)
    new_version = claim_version(interview=interview, expected_version=expected_version)
    interview.refresh_from_db()
    before = interview.status
    interview.status = Interview.Status.SUBMITTED
    interview.submitted_at = timezone.now()
    interview.version = new_version
    interview._history_user = user
    interview.save()
    log_action(
        action=actions.INTERVIEW_SUBMITTED,
        obj=interview,
        user=user,
        data={"changes": {"status": {"old": before, "new": interview.status}}, "version": new_version},
    )
    notify_submitted(interview)
    return interview
