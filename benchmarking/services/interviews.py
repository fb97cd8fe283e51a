"""Starting, saving and submitting benchmarking interviews (issue 3).

Saving uses optimistic locking: every write bumps `Interview.version` with a conditional
UPDATE, so a save based on an older version (another tab, another person) is refused
instead of silently overwriting work. Answers are written in bulk, with their history,
so that saving a step costs the same number of queries for 3 or 10 indicators.
"""

import datetime
import functools
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activity import actions
from activity.services import changes, log_action
from benchmarking.kinds import VALUE_COLUMNS
from benchmarking.models import Answer, Catalogue, Expert, Indicator, Interview, Proposal
from benchmarking.selectors.catalogues import CataloguePeriod, period_of
from benchmarking.services.dates import add_years
from benchmarking.services.labels import renewal_refusal
from benchmarking.services.notifications import notify_submitted
from benchmarking.services.people import accreditation_refusal, conflict_refusal
from clusters.models import Cluster
from ecei_site.numbers import localized_number, plain_number

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


class OpenInterviewExists(InterviewError):
    """The expert already has an open interview of the cluster: that one is to be continued."""

    def __init__(self, interview: Interview):
        self.interview = interview
        super().__init__(
            _("You already have an open interview with %(cluster)s (%(status)s, %(date)s); it is opened instead.")
            % {
                "cluster": interview.cluster,
                "status": interview.get_status_display().lower(),
                "date": date_format(interview.date),
            }
        )


# An interview not yet decided on: a second one for the same expert and cluster would be a duplicate.
OPEN_STATUSES = {Interview.Status.DRAFT, Interview.Status.RETURNED, Interview.Status.SUBMITTED}


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


# --- Starting ----------------------------------------------------------------------------


def interview_start_refusal(*, expert: Expert, cluster: Cluster, date: datetime.date) -> str | None:
    """Why `expert` may not interview `cluster` on `date`, or None when they may."""
    # An interview may be planned ahead (issue 16: the manager pre-fills the questionnaire
    # before the call); it is submitted only once its day has come (interview_submit).
    if date > add_years(timezone.localdate(), 1):
        return _("The interview date can be at most a year ahead.")
    refusal = accreditation_refusal(expert=expert, day=date)
    if refusal:
        return refusal
    if conflict_refusal(user=expert.user, cluster=cluster, day=max(date, timezone.localdate())):
        return _("You declared a conflict of interest with %(cluster)s; another expert must benchmark it.") % {
            "cluster": cluster
        }
    return renewal_refusal(cluster=cluster, benchmarked_on=date)


def catalogue_refusal(date: datetime.date) -> str | None:
    """Why no catalogue can be used for an interview on `date`, or None: none is active, or the
    date is before the first one came into force."""
    if Catalogue.objects.in_force_on(date) is not None:
        return None
    first = Catalogue.objects.filter(is_active=True).order_by("published_on", "pk").first()
    if first is None:
        return _("No catalogue is active; the secretariat must activate one first.")
    return _("No catalogue was in force on %(date)s: the earliest, v%(version)s, applies from %(first)s.") % {
        "date": date_format(date),
        "version": first.version,
        "first": date_format(first.published_on),
    }


def catalogue_for(date: datetime.date) -> Catalogue:
    """The catalogue an interview on `date` uses: the one in force that day, never today's."""
    refusal = catalogue_refusal(date)
    if refusal:
        raise InterviewError(refusal)
    return Catalogue.objects.in_force_on(date)


@transaction.atomic
def interview_start(
    *,
    expert: Expert,
    cluster: Cluster,
    date: datetime.date,
    mode: str,
    interviewee_name: str,
    interviewee_role: str,
    user,
) -> Interview:
    # The expert's row is locked so that a double-clicked "Start" waits for the first click's
    # transaction and then finds its interview (SQLite serialises writers anyway).
    Expert.objects.select_for_update().filter(pk=expert.pk).first()
    already_open = Interview.objects.filter(expert=expert, cluster=cluster, status__in=OPEN_STATUSES).first()
    if already_open is not None:
        raise OpenInterviewExists(already_open)
    refusal = interview_start_refusal(expert=expert, cluster=cluster, date=date)
    if refusal:
        raise InterviewError(refusal)
    catalogue = catalogue_for(date)
    interview = Interview(
        cluster=cluster,
        expert=expert,
        catalogue=catalogue,
        date=date,
        mode=mode,
        interviewee_name=interviewee_name,
        interviewee_role=interviewee_role,
    )
    interview.full_clean()
    interview._history_user = user
    interview.save()
    log_action(action=actions.INTERVIEW_STARTED, obj=interview, user=user, data={"date": date, "mode": mode})
    return interview


# --- Changing the date ---------------------------------------------------------------------


def date_change_refusal(*, interview: Interview, date: datetime.date) -> str | None:
    """Why the interview's date cannot become `date`, or None.

    The new date must be one on which the expert may interview the cluster (as when starting).
    The catalogue follows the date. A draft holding answers or the manager's proposals keeps
    its catalogue: answers of one version are not answers of another (v2 has other
    indicators), so a date on which another version is in force is refused, never a silent
    loss or reinterpretation of answers. Only an interview with nothing entered moves to the
    other version with its date.
    """
    refusal = interview_start_refusal(expert=interview.expert, cluster=interview.cluster, date=date)
    refusal = refusal or catalogue_refusal(date)
    if refusal:
        return refusal
    catalogue = Catalogue.objects.in_force_on(date)
    if catalogue.pk == interview.catalogue_id:
        return None
    if interview.answers.exists() or interview.proposals.exists():
        return _(
            "On %(date)s catalogue v%(new)s is in force, but this interview holds answers to catalogue "
            "v%(old)s, and answers do not carry over from one version to another. Choose a date on which "
            "v%(old)s is in force (%(period)s)."
        ) % {
            "date": date_format(date),
            "new": catalogue.version,
            "old": interview.catalogue.version,
            "period": period_text(period_of(interview.catalogue)),
        }
    return None


def period_text(period: CataloguePeriod | None) -> str:
    """The period in words: from 1 Nov 2010 to 14 Nov 2019, from 15 Nov 2019, or no longer in force."""
    if period is None:
        return _("no longer in force")
    if period.ends is None:
        return _("from %(start)s") % {"start": date_format(period.starts)}
    return _("from %(start)s to %(end)s") % {"start": date_format(period.starts), "end": date_format(period.ends)}


@transaction.atomic
def interview_date_change(*, interview: Interview, date: datetime.date, expected_version: int, user) -> Interview:
    """Move an open interview (draft or returned) to another date; its catalogue follows the date
    (date_change_refusal says when it cannot)."""
    # The version is claimed first: the row is then locked, so no answer can be saved between
    # the check below and the change (a refusal rolls the claim back).
    new_version = _claim_version(interview=interview, expected_version=expected_version)
    interview.refresh_from_db()
    refusal = date_change_refusal(interview=interview, date=date)
    if refusal:
        raise InterviewError(refusal)
    before = {"date": str(interview.date), "catalogue": interview.catalogue.version}
    interview.date = date
    interview.catalogue = Catalogue.objects.in_force_on(date)
    interview.version = new_version
    interview._history_user = user
    interview._change_reason = "Interview date changed"
    interview.full_clean()
    interview.save()
    after = {"date": str(interview.date), "catalogue": interview.catalogue.version}
    data = {"changes": changes(before, after)}
    log_action(action=actions.INTERVIEW_DATE_CHANGED, obj=interview, user=user, data=data)
    return interview


# --- Soft warnings -----------------------------------------------------------------------

# A warning the expert confirmed is stored with the answer (Answer.accepted_warnings) as
# written here, in English: a confirmation then holds whatever language the page is read in,
# and the confirm box's token stays the same. `translated_warning` translates at display.
WARNING_TOO_LOW = gettext_noop("%(value)s is unusually low for %(code)s (expected at least %(bound)s).")
WARNING_TOO_HIGH = gettext_noop("%(value)s is unusually high for %(code)s (expected at most %(bound)s).")
WARNING_TOTAL = gettext_noop("The total of %(code)s (%(value)s) differs from %(other)s (%(other_value)s).")
WARNING_ABOVE = gettext_noop("%(code)s (%(value)s) is above %(other)s (%(other_value)s).")
WARNINGS = (WARNING_TOO_LOW, WARNING_TOO_HIGH, WARNING_TOTAL, WARNING_ABOVE)


@functools.cache
def _warning_pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(template)))


def translated_warning(text: str, *, grouping: bool = True) -> str:
    """A stored warning in the reader's language, its numbers written as the language writes
    them (`grouping` False: years); a text of another origin is shown as it is."""
    for template in WARNINGS:
        match = _warning_pattern(template).fullmatch(text)
        if match:
            values = {name: _number_words(value, grouping) for name, value in match.groupdict().items()}
            return _(template) % values
    return text


def _number_words(text: str, grouping: bool) -> str:
    """A number of a stored warning (written plainly: 10000, 99.5) in the reader's language."""
    try:
        return localized_number(plain_number(text), grouping=grouping)
    except ArithmeticError:  # a code (A4), not a number
        return text


def warning_token(message: str) -> str:
    """A short, stable id of a warning text: the confirm checkbox carries it."""
    return hashlib.sha256(message.encode()).hexdigest()[:12]


def _fmt(number) -> str:
    number = Decimal(str(number)).normalize()
    return f"{number:f}"


def answer_warnings(*, indicator: Indicator, fields: Mapping, other: Mapping | None) -> list[str]:
    """The soft warnings for one answer: plausible-range and cross-check rules of the catalogue.

    `fields` are the Answer columns about to be saved; `other` those of the indicator named
    by `indicator.cross_check_with` (from this step's input or the stored answer), if any.
    """
    if fields.get("missing_reason"):
        return []
    warnings = []
    number = fields.get("number")
    if number is not None and indicator.soft_min is not None and number < indicator.soft_min:
        warnings.append(
            WARNING_TOO_LOW % {"value": _fmt(number), "code": indicator.code, "bound": _fmt(indicator.soft_min)}
        )
    if number is not None and indicator.soft_max is not None and number > indicator.soft_max:
        warnings.append(
            WARNING_TOO_HIGH % {"value": _fmt(number), "code": indicator.code, "bound": _fmt(indicator.soft_max)}
        )
    other_number = (other or {}).get("number")
    target = indicator.cross_check_with
    if target is None or other_number is None:
        return warnings
    if indicator.cross_check == Indicator.CrossCheck.TOTAL_EQUALS and fields.get("parts"):
        total = sum(Decimal(str(v)) for v in fields["parts"].values())
        if total != other_number:
            values = {"code": indicator.code, "value": _fmt(total), "other": target.code}
            warnings.append(WARNING_TOTAL % {**values, "other_value": _fmt(other_number)})
    if indicator.cross_check == Indicator.CrossCheck.NOT_ABOVE and number is not None and number > other_number:
        warnings.append(
            WARNING_ABOVE
            % {"code": indicator.code, "value": _fmt(number), "other": target.code, "other_value": _fmt(other_number)}
        )
    return warnings


# --- Saving a step -----------------------------------------------------------------------


def _claim_version(*, interview: Interview, expected_version: int) -> int:
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
    new_version = _claim_version(interview=interview, expected_version=expected_version)
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
    new_version = _claim_version(interview=interview, expected_version=expected_version)
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
