"""The recommendation rules: which apply to a cluster, and why, in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from benchmarking.kinds import kind_of
from benchmarking.models import (
    Indicator,
    RecommendationRule,
)
from benchmarking.selectors import statistics
from benchmarking.selectors.reports.inputs import ReportInputs
from benchmarking.selectors.reports.peer_groups import PeerGroup
from benchmarking.selectors.reports.peers import GROUPS, MISSING, comparable_value


def _rule_group(rule: RecommendationRule, groups: list[PeerGroup]) -> PeerGroup | None:
    return next((g for g in groups if g.key == (rule.group or GROUPS.PORTFOLIO)), None)


# rule.get_serves_display() without its per-call work (a report lists each rule in each language).
SERVES_LABELS = dict(RecommendationRule.Serves.choices)


def _cut_name(percentile: float) -> str:
    names = {25: _("lower quartile"), 50: _("median"), 75: _("upper quartile")}
    return names.get(percentile) or _("percentile %(p)s") % {"p": f"{percentile:g}"}


@dataclass(frozen=True)
class RuleMatch:
    """A rule that applies to the cluster, with the numbers its reason names: the same in every
    language of a report, so decided once; match_reason words it in the active language."""

    rule: RecommendationRule
    indicator: Indicator
    own: object  # the cluster's comparable value
    cut: float | None = None  # percentile rules: the group's value at the threshold
    group: PeerGroup | None = None  # percentile rules: the group compared with
    option: str | None = None  # answer rules: the option named


def rule_reason(
    rule: RecommendationRule, indicator: Indicator, row: dict | None, groups: list[PeerGroup]
) -> str | None:
    """Why the rule applies to this cluster, in words; None when it does not apply."""
    match = rule_match(rule, indicator, row, groups)
    return None if match is None else match_reason(match)


def rule_match(
    rule: RecommendationRule, indicator: Indicator, row: dict | None, groups: list[PeerGroup]
) -> RuleMatch | None:
    """Whether the rule applies to this cluster, and with which numbers; None when it does not.

    Percentile rules need the group to be shown and enough answers; a missing answer never
    triggers a rule. For several-of-a-list indicators, `answer` names an option that the
    cluster chose; "not: option" one that it did not choose.
    """
    own = comparable_value(indicator, row)
    if own is MISSING:
        return None
    threshold = float(rule.threshold) if rule.threshold is not None else None
    C = RecommendationRule.Condition
    is_number = kind_of(indicator).is_number
    if rule.condition in (C.BELOW_PERCENTILE, C.ABOVE_PERCENTILE) and is_number and threshold is not None:
        group = _rule_group(rule, groups)
        if group is None or not group.is_shown:
            return None
        values = group.numbers(indicator, "")
        if len(values) < group.minimum:
            return None
        cut = statistics.quantile(values, threshold / 100)
        below = rule.condition == C.BELOW_PERCENTILE
        applies = (own < cut) if below else (own > cut)
        return RuleMatch(rule, indicator, own, cut=cut, group=group) if applies else None
    if rule.condition in (C.BELOW_VALUE, C.ABOVE_VALUE) and is_number and threshold is not None:
        below = rule.condition == C.BELOW_VALUE
        applies = (own < threshold) if below else (own > threshold)
        return RuleMatch(rule, indicator, own) if applies else None
    if rule.condition == C.ANSWER_IS:
        return _answer_match(rule, indicator, own, rule.answer.strip())
    return None


def _answer_match(rule: RecommendationRule, indicator: Indicator, own, answer: str) -> RuleMatch | None:
    if kind_of(indicator).several:
        negated = answer.lower().startswith("not:")
        option = answer[4:].strip() if negated else answer
        return RuleMatch(rule, indicator, own, option=option) if (option in own) != negated else None
    if str(own).lower() == answer.lower():
        return RuleMatch(rule, indicator, own, option=str(own))
    return None


def match_reason(match: RuleMatch) -> str:
    """Why the rule applies, in words in the active language."""
    rule, indicator, own = match.rule, match.indicator, match.own
    C = RecommendationRule.Condition
    if rule.condition in (C.BELOW_PERCENTILE, C.ABOVE_PERCENTILE):
        text = (
            _("%(value)s is below the %(cut)s of the group “%(group)s” (%(cut_value)s).")
            if rule.condition == C.BELOW_PERCENTILE
            else _("%(value)s is above the %(cut)s of the group “%(group)s” (%(cut_value)s).")
        )
        write = kind_of(indicator).figure  # rounded half up, years whole
        return text % {
            "value": write(own),
            "cut": _cut_name(float(rule.threshold)),
            "group": match.group.title,
            "cut_value": write(match.cut),
        }
    if rule.condition in (C.BELOW_VALUE, C.ABOVE_VALUE):
        text = (
            _("%(value)s is below %(threshold)s.")
            if rule.condition == C.BELOW_VALUE
            else _("%(value)s is above %(threshold)s.")
        )
        write = kind_of(indicator).figure
        return text % {"value": write(own), "threshold": write(rule.threshold)}
    if kind_of(indicator).several:
        negated = rule.answer.strip().lower().startswith("not:")
        text = _("“%(option)s” is not among the answers.") if negated else _("“%(option)s” is among the answers.")
        return text % {"option": indicator.option_label(match.option)}
    return _("The answer is “%(answer)s”.") % {"answer": indicator.option_label(match.option)}


def matching_rules(inputs: ReportInputs, groups: list[PeerGroup]) -> list[RuleMatch]:
    """The rules that apply to the report's cluster, in rule order (no words: see recommendations)."""
    by_id = {i.pk: i for i in inputs.indicators}
    found = []
    for rule in inputs.rules:
        indicator = by_id.get(rule.indicator_id)
        if indicator is None:
            continue
        match = rule_match(rule, indicator, inputs.own_rows.get(indicator.pk), groups)
        if match is not None:
            found.append(match)
    return found


def recommendations(
    inputs: ReportInputs, groups: list[PeerGroup], matches: list[RuleMatch] | None = None, kept: dict | None = None
) -> dict[int, list[dict]]:
    """The rules that apply, per category id, in rule order, in the active language. `matches`:
    matching_rules of the same report, decided once for all its languages; `kept`: a rule's words
    in this language kept from one report to the next (texts.LanguageTexts.kept): its text read
    through modeltranslation's field, and its purpose, were a good part of a bulk issue's time."""
    kept = {} if kept is None else kept
    found: dict[int, list[dict]] = {}
    for match in matching_rules(inputs, groups) if matches is None else matches:
        rule, indicator = match.rule, match.indicator
        memo = ("rule", rule.pk, rule.serves)
        if memo not in kept:
            kept[memo] = (rule.text, str(SERVES_LABELS.get(rule.serves, rule.serves)))
        text, serves_label = kept[memo]
        found.setdefault(indicator.category_id, []).append(
            {
                "indicator": indicator.code,
                "text": text,
                "reason": match_reason(match),
                "serves": rule.serves,
                "serves_label": serves_label,
            }
        )
    return found
