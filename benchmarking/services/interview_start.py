"""Starting an interview and moving it to another date (issue 3).

An expert starts an interview of a cluster on a day the people rules, the renewal rule and the
catalogue in force allow; a draft moves to another date only where its answers stay answers
of its catalogue version. Saving and submitting are services/interviews.py.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activity import actions
from activity.services import changes, log_action
from benchmarking.models import Catalogue, Expert, Interview, Label
from benchmarking.rules.dates import add_years
from benchmarking.rules.label_terms import renewal_refusal
from benchmarking.rules.people import accreditation_refusal, conflict_refusal
from benchmarking.selectors.catalogues import CataloguePeriod, period_of
from benchmarking.services.interviews import InterviewError, claim_version
from clusters.models import Cluster


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


# --- Starting ----------------------------------------------------------------------------


def interview_start_refusal(
    *, expert: Expert, cluster: Cluster, date: datetime.date, labels: list[Label] | None = None
) -> str | None:
    """Why `expert` may not interview `cluster` on `date`, or None when they may.

    `labels`: the cluster's Bronze labels when the caller holds them (the legacy import, with the
    labels its batch plans): the renewal rule is judged over them instead of the labels the
    database holds, and still over the benchmarkings waiting for the board (renewal_refusal). A
    cluster not saved yet (one the import creates) has no conflicts or recommendations to read.
    """
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
    return renewal_refusal(cluster=cluster, benchmarked_on=date, labels=labels)


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
    new_version = claim_version(interview=interview, expected_version=expected_version)
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
