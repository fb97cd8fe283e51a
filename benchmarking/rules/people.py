"""The people rules: who may take which step for a cluster. The one place every door asks.

- Accreditation: an expert's work (interview, Silver audit, Gold assessment) counts only on a
  day their accreditation covers (`accreditation_refusal`).
- Conflicts of interest bind from the day they are declared (domain.md, "Decisions where the
  sources are silent"): a person with a conflict declared on or before the day of a step takes
  no such step for that cluster (submitting an interview, review, audit, assessment, board
  decision), whatever the interview's date (`conflict_refusal`). Conflicts are declared on
  experts; a secretariat or board member who is also an expert is bound by theirs.
- Four eyes: nobody reviews an interview they conducted (`reviewer_refusal`); a Silver auditor
  is never the expert of the benchmarkings Silver rests on (`silver_auditor_refusal`); nobody
  decides at the board on work they conducted, reviewed, returned or commented on
  (`board_member_refusal`).
"""

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.models import ConflictOfInterest, Expert, Interview, LabelRecommendation, ReviewComment
from clusters.models import Cluster


def accreditation_refusal(*, expert: Expert, day: datetime.date) -> str | None:
    """Why `expert` may not benchmark on `day` (their accreditation does not cover it), or None.

    Asked when an interview starts (on the interview date) and whenever a label is recommended
    or decided (on the day of the benchmarking, audit or assessment behind it): a label never
    rests on the work of an expert who was not accredited on the day of that work.
    """
    if expert.is_accredited_on(day):
        return None
    return _("The accreditation of %(expert)s (%(start)s to %(end)s) does not cover %(day)s.") % {
        "expert": expert,
        "start": date_format(expert.accredited_from),
        "end": date_format(expert.accredited_until),
        "day": date_format(day),
    }


def conflict_refusal(*, user, cluster: Cluster, day: datetime.date) -> str | None:
    """Why `user` takes no step for `cluster` on `day`: a conflict of interest they declared on or
    before that day (from the day of the declaration on, whatever the interview's date), or None."""
    if cluster.pk is None:  # not saved yet (the legacy import creates it): nobody declared a conflict with it
        return None
    conflict = _conflicts(user, [cluster.pk], day).get(cluster.pk)
    return _conflict_sentence(conflict) if conflict else None


def expert_refusal(*, expert: Expert, cluster: Cluster, work_day: datetime.date) -> str | None:
    """Why `expert` cannot do work dated `work_day` for `cluster` that is recorded today: not
    accredited on the work's day, or a conflict declared by today (recording the work is a step)."""
    day = max(work_day, timezone.localdate())
    return accreditation_refusal(expert=expert, day=work_day) or conflict_refusal(
        user=expert.user, cluster=cluster, day=day
    )


def gold_assessor_refusal(*, expert: Expert, cluster: Cluster, day: datetime.date) -> str | None:
    """Why `expert` may not assess `cluster` for Gold on `day`, or None: the rules of experts."""
    return expert_refusal(expert=expert, cluster=cluster, work_day=day)


def silver_auditor_refusal(
    *, expert: Expert, cluster: Cluster, day: datetime.date, benchmarkings: list[Interview]
) -> str | None:
    """Why `expert` may not audit `cluster` for Silver on `day`, or None: accredited on the audit
    day, no conflict declared, and not the expert of the `benchmarkings` Silver rests on."""
    refusal = expert_refusal(expert=expert, cluster=cluster, work_day=day)
    if refusal:
        return refusal
    own = [interview for interview in benchmarkings if interview.expert_id == expert.pk]
    if own:
        return _(
            "%(expert)s conducted the benchmarking of %(day)s that Silver rests on; "
            "another expert must audit it (four eyes)."
        ) % {"expert": expert, "day": date_format(own[0].date)}
    return None


def reviewer_refusal(*, user, interview: Interview, day: datetime.date | None = None) -> str | None:
    """Why `user` may not review (approve, return, reject) `interview`, or None: four eyes, and
    a conflict of interest declared by the day of the review."""
    if interview.expert.user_id == user.pk:
        return _("You conducted this interview; another member of the secretariat must decide (four eyes).")
    return conflict_refusal(user=user, cluster=interview.cluster, day=day or timezone.localdate())


# --- The board ---------------------------------------------------------------------------------


def experts_behind(recommendation: LabelRecommendation) -> list[tuple[Expert, datetime.date]]:
    """The experts whose work the label would rest on, each with the day of that work.

    An interview's expert on the interview date; a Silver auditor on the audit date; a Gold
    assessment's two assessors on the assessment date. Audits and assessments recorded before
    they were experts of the system named them as text: no expert to check.
    """
    if recommendation.interview_id:
        return [(recommendation.interview.expert, recommendation.interview.date)]
    if recommendation.silver_audit_id:
        audit = recommendation.silver_audit
        return [(audit.auditor, audit.audited_on)] if audit.auditor_id else []
    if recommendation.gold_assessment_id:
        assessment = recommendation.gold_assessment
        assessors = (assessment.first_assessor, assessment.second_assessor)
        return [(expert, assessment.assessed_on) for expert in assessors if expert is not None]
    return []


def reviewers_of_many(recommendations) -> dict[int, set[int]]:
    """Everyone (user ids) who took a secretariat step on the work behind each recommendation (by
    pk): who recommended it, who recorded the audit or assessment, and everyone who decided on the
    interview at any time (approved, returned, rejected, reopened) or commented on its answers.
    Two queries whatever the number of recommendations."""
    recommendations = list(recommendations)
    interview_ids = {r.interview_id for r in recommendations if r.interview_id}
    steps = defaultdict(set)
    decided = Interview.history.filter(id__in=interview_ids).exclude(decided_by=None)
    for interview_id, user_id in decided.values_list("id", "decided_by").distinct():
        steps[interview_id].add(user_id)
    commented = ReviewComment.objects.filter(interview__in=interview_ids)
    for interview_id, user_id in commented.values_list("interview", "author").distinct():
        steps[interview_id].add(user_id)
    reviewers = {}
    for r in recommendations:
        records = (r.silver_audit, r.gold_assessment) if (r.silver_audit_id or r.gold_assessment_id) else ()
        reviewers[r.pk] = {r.recommended_by_id, *steps[r.interview_id], *(x.recorded_by_id for x in records if x)}
    return reviewers


def _conflicts(user, cluster_ids, day: datetime.date) -> dict[int, ConflictOfInterest]:
    """The conflicts `user` declared by `day` with any of the clusters (by cluster id), one query."""
    conflicts = ConflictOfInterest.objects.filter(
        expert__user_id=user.pk, cluster__in=set(cluster_ids), declared_on__lte=day
    ).select_related("expert__user", "cluster")
    return {c.cluster_id: c for c in conflicts.order_by("-declared_on")}


def _conflict_sentence(conflict: ConflictOfInterest) -> str:
    return _(
        "%(person)s declared a conflict of interest with %(cluster)s on %(day)s: "
        "they take no further step for it (four eyes)."
    ) % {"person": conflict.expert, "cluster": conflict.cluster, "day": date_format(conflict.declared_on)}


def board_member_refusals(*, user, recommendations, day: datetime.date) -> dict[int, str]:
    """Why `user`, a board member, may not decide on `day` on each of the recommendations (by pk;
    those they may decide on are left out): they conducted the work behind it, took a secretariat
    step on it, or declared a conflict of interest with the cluster by that day. A constant
    number of queries."""
    recommendations = list(recommendations)
    reviewers = reviewers_of_many(recommendations)
    conflicts = _conflicts(user, [r.cluster_id for r in recommendations], day)
    refusals = {}
    for r in recommendations:
        if user.pk in {expert.user_id for expert, _day in experts_behind(r)}:
            refusals[r.pk] = _(
                "You conducted this benchmarking; other members of the board must decide on it (four eyes)."
            )
        elif user.pk in reviewers[r.pk]:
            refusals[r.pk] = _(
                "You reviewed, returned or commented on this benchmarking; other members of the board "
                "must decide on it (four eyes)."
            )
        elif r.cluster_id in conflicts:
            refusals[r.pk] = _conflict_sentence(conflicts[r.cluster_id])
    return refusals


def board_member_refusal(*, user, recommendation: LabelRecommendation, day: datetime.date) -> str | None:
    """Why `user`, a board member, may not decide on `recommendation` on `day`, or None."""
    return board_member_refusals(user=user, recommendations=[recommendation], day=day).get(recommendation.pk)
