"""Eligibility (domain.md, "Eligibility in full"): the one place that judges it.

The criteria are data of the catalogue version (EligibilityCriterion); the facts no indicator
answers (ECCP validation, English website, collaboration with public bodies) and a waiver
are recorded by the secretariat on the cluster (services/eligibility.py). The same
judgement serves Bronze (the interview behind the label), Silver and Gold (the cluster's
latest approved interview), the review page, the approval and the board's screen.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.models import Answer, EligibilityCriterion, Interview
from clusters.models import Cluster, EligibilityWaiver


@dataclass(frozen=True)
class Criterion:
    """One eligibility criterion, met or not, with what it was judged on, in words."""

    name: str
    met: bool
    judged_on: str
    waived: bool = False
    # With a waiver: its reason in words, and whether the facts alone would meet the criterion
    # (the facts stay beside "waived": the reader sees what was waived).
    waiver: str = ""
    met_by_facts: bool | None = None


def _number(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _day(value) -> str:
    return date_format(value)


def _positive_parts(answer: Answer | None) -> list[str]:
    if answer is None or not answer.parts:
        return []
    return [part for part, count in answer.parts.items() if count and Decimal(str(count)) > 0]


def _fact(criterion: EligibilityCriterion, cluster: Cluster) -> str | None:
    """What the reviewer recorded for the criterion's fact, in words, or None."""
    if criterion.fact == EligibilityCriterion.Fact.ENGLISH_WEBSITE and cluster.english_website_checked_on:
        return _("checked on %(day)s: %(website)s") % {
            "day": _day(cluster.english_website_checked_on),
            "website": cluster.website or _("the cluster's website"),
        }
    if criterion.fact == EligibilityCriterion.Fact.PUBLIC_COLLABORATION and cluster.public_collaboration.strip():
        return cluster.public_collaboration.strip()
    return None


def judge(criterion: EligibilityCriterion, answer: Answer | None, cluster: Cluster) -> Criterion:
    """Whether one criterion is met, by its rule (what counts as met is data: rule, threshold, part)."""
    rule, name = criterion.rule, criterion.name
    if rule == EligibilityCriterion.Rule.ECCP_VALIDATED:
        if cluster.eccp_profile_url and cluster.eccp_validated_on:
            validated = {"url": cluster.eccp_profile_url, "day": _day(cluster.eccp_validated_on)}
            return Criterion(name, True, _("%(url)s, validated on %(day)s") % validated)
        return Criterion(name, False, cluster.eccp_profile_url or _("no ECCP profile recorded"))
    if rule == EligibilityCriterion.Rule.FACT:
        fact = _fact(criterion, cluster)
        return Criterion(name, fact is not None, fact or _("not recorded by the reviewer"))
    if rule == EligibilityCriterion.Rule.NUMBER_AT_LEAST:
        if answer is None or answer.number is None:
            return Criterion(name, False, _("no value given"))
        unit = criterion.indicator.unit
        return Criterion(name, answer.number >= criterion.threshold, f"{_number(answer.number)} {unit}".strip())
    parts = _positive_parts(answer)
    if rule == EligibilityCriterion.Rule.PARTS_AT_LEAST:
        return _kinds_judged(criterion, answer, parts)
    # PART_OR_FACT: the named part is a member, or else the recorded fact holds.
    if criterion.part in parts:
        count = _number(answer.parts[criterion.part])
        part = criterion.indicator.option_label(criterion.part)
        return Criterion(name, True, _("members: %(count)s %(part)s") % {"count": count, "part": part})
    fact = _fact(criterion, cluster)
    if fact is not None:
        return Criterion(name, True, fact)
    return Criterion(name, False, _("no public body is a member and no collaboration with public bodies is recorded"))


def _kinds_judged(criterion: EligibilityCriterion, answer: Answer | None, parts: list[str]) -> Criterion:
    """At least `threshold` kinds among the parts above zero: the catalogue's grouping says what a
    kind is (SMEs and large companies are one kind, industry); a part in no kind does not count."""
    kind_of_part = criterion.kind_of_part()
    by_kind = defaultdict(list)
    for part in parts:
        if part in kind_of_part:
            by_kind[kind_of_part[part]].append(criterion.indicator.option_label(part))
    if not by_kind:
        return Criterion(criterion.name, False, _("none") if answer else _("no value given"))
    named = [
        f"{criterion.kind_label(kind)} ({', '.join(labels)})" if criterion.kinds else criterion.kind_label(kind)
        for kind, labels in sorted(by_kind.items())
    ]
    separator = "; " if criterion.kinds else ", "
    return Criterion(criterion.name, len(by_kind) >= criterion.threshold, f"{len(by_kind)}: {separator.join(named)}")


def _waived(judged: Criterion, cluster: Cluster) -> Criterion:
    """The criterion as judged on its facts, met by the cluster's waiver."""
    reason = str(EligibilityWaiver(cluster.eligibility_waiver).label)
    note = cluster.eligibility_waiver_note.strip()
    waiver = reason + (f" ({note})" if note else "")
    return Criterion(judged.name, True, judged.judged_on, waived=True, waiver=waiver, met_by_facts=judged.met)


def _undefined(interview: Interview) -> list[Criterion]:
    return [
        Criterion(
            _("Eligibility criteria of the catalogue"),
            False,
            _("catalogue v%(version)s defines none") % {"version": interview.catalogue.version},
        )
    ]


def judge_many(pairs: list[tuple[Cluster, Interview | None]]) -> list[list[Criterion] | None]:
    """The criteria of each (cluster, interview) pair, in three queries whatever their number:
    the criteria of the catalogue versions, then the answers they read. None: no interview."""
    interviews = [interview for _cluster, interview in pairs if interview is not None]
    by_catalogue = defaultdict(list)
    for criterion in EligibilityCriterion.objects.filter(
        catalogue__in={i.catalogue_id for i in interviews}
    ).select_related("indicator"):
        by_catalogue[criterion.catalogue_id].append(criterion)
    indicator_ids = {c.indicator_id for criteria in by_catalogue.values() for c in criteria if c.indicator_id}
    answers = {
        (a.interview_id, a.indicator_id): a
        for a in Answer.objects.filter(interview__in=[i.pk for i in interviews], indicator__in=indicator_ids)
    }
    results = []
    for cluster, interview in pairs:
        if interview is None:
            results.append(None)
            continue
        criteria = by_catalogue.get(interview.catalogue_id)
        if not criteria:
            results.append(_undefined(interview))
        else:
            judged = [judge(c, answers.get((interview.pk, c.indicator_id)), cluster) for c in criteria]
            results.append([_waived(c, cluster) for c in judged] if cluster.eligibility_waiver else judged)
    return results


def eligibility(interview: Interview) -> list[Criterion]:
    """The eligibility criteria of `interview`'s catalogue version, each judged, as the reviewer sees them."""
    return judge_many([(interview.cluster, interview)])[0]


def latest_approved_interviews(clusters) -> dict[int, Interview]:
    """Each cluster's latest approved interview (one query): what Silver and Gold are judged on."""
    latest = {}
    approved = Interview.objects.filter(cluster__in=clusters, status=Interview.Status.APPROVED).select_related(
        "catalogue"
    )
    for interview in approved.order_by("cluster_id", "-date", "-pk"):
        latest.setdefault(interview.cluster_id, interview)
    return latest


def eligibility_of_many(recommendations) -> dict[int, list[Criterion]]:
    """The criteria of each label recommendation (by pk), in a constant number of queries."""
    without = [r.cluster for r in recommendations if r.interview_id is None]
    latest = latest_approved_interviews(without) if without else {}
    pairs = [(r.cluster, r.interview or latest.get(r.cluster_id)) for r in recommendations]
    judged = judge_many(pairs)
    return {r.pk: criteria or [_no_interview(r.cluster)] for r, criteria in zip(recommendations, judged, strict=True)}


def _no_interview(cluster: Cluster) -> Criterion:
    return Criterion(_("An approved benchmarking interview"), False, _("%(cluster)s has none") % {"cluster": cluster})


def eligibility_refusal(*, cluster: Cluster, interview: Interview | None) -> str | None:
    """Why the cluster cannot earn a label (Bronze, Silver or Gold) for want of eligibility, or None.

    Judged on the interview behind the label or, for a Silver audit or a Gold assessment,
    on the cluster's latest approved interview.
    """
    if interview is None:
        interview = latest_approved_interviews([cluster]).get(cluster.pk)
    criteria = eligibility(interview) if interview is not None else [_no_interview(cluster)]
    unmet = [c.name for c in criteria if not c.met]
    if unmet:
        return _("The cluster does not meet the eligibility criteria: %(unmet)s.") % {"unmet": "; ".join(unmet)}
    return None
