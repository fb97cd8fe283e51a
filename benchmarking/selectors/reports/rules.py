"""The recommendation rules: which apply to a cluster, and why, in words."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from benchmarking import charts
from benchmarking.kinds import kind_of
from benchmarking.models import (
    Indicator,
    RecommendationRule,
)
from benchmarking.selectors import statistics
from benchmarking.selectors.reports.inputs import ReportInputs
from benchmarking.selectors.reports.peers import GROUPS, MISSING, PeerGroup, comparable_value


def _rule_group(rule: RecommendationRule, groups: list[PeerGroup]) -> PeerGroup | None:
    return next((g for g in groups if g.key == (rule.group or GROUPS.PORTFOLIO)), None)


def _cut_name(percentile: float) -> str:
    names = {25: _("lower quartile"), 50: _("median"), 75: _("upper quartile")}
    return names.get(percentile) or _("percentile %(p)s") % {"p": f"{percentile:g}"}


def _fmt(x: float) -> str:
    return charts.fmt(x)


def rule_reason(
    rule: RecommendationRule, indicator: Indicator, row: dict | None, groups: list[PeerGroup]
) -> str | None:
    """Why the rule applies to this cluster, in words; None when it does not apply.

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
        if len(values) < settings.ECEI_REPORT_MIN_GROUP_SIZE:
            return None
        cut = statistics.quantile(values, threshold / 100)
        below = rule.condition == C.BELOW_PERCENTILE
        if (own < cut) if below else (own > cut):
            text = (
                _("%(value)s is below the %(cut)s of the group “%(group)s” (%(cut_value)s).")
                if below
                else _("%(value)s is above the %(cut)s of the group “%(group)s” (%(cut_value)s).")
            )
            return text % {
                "value": _fmt(own),
                "cut": _cut_name(threshold),
                "group": group.title,
                "cut_value": _fmt(cut),
            }
        return None
    if rule.condition in (C.BELOW_VALUE, C.ABOVE_VALUE) and is_number and threshold is not None:
        below = rule.condition == C.BELOW_VALUE
        if (own < threshold) if below else (own > threshold):
            text = _("%(value)s is below %(threshold)s.") if below else _("%(value)s is above %(threshold)s.")
            return text % {"value": _fmt(own), "threshold": _fmt(threshold)}
        return None
    if rule.condition == C.ANSWER_IS:
        return _answer_reason(indicator, own, rule.answer.strip())
    return None


def _answer_reason(indicator: Indicator, own, answer: str) -> str | None:
    if kind_of(indicator).several:
        negated = answer.lower().startswith("not:")
        option = answer[4:].strip() if negated else answer
        if (option in own) != negated:
            text = _("“%(option)s” is not among the answers.") if negated else _("“%(option)s” is among the answers.")
            return text % {"option": indicator.option_label(option)}
        return None
    if str(own).lower() == answer.lower():
        return _("The answer is “%(answer)s”.") % {"answer": indicator.option_label(str(own))}
    return None


def recommendations(inputs: ReportInputs, groups: list[PeerGroup]) -> dict[int, list[dict]]:
    """The rules that apply, per category id, in rule order."""
    by_id = {i.pk: i for i in inputs.indicators}
    found: dict[int, list[dict]] = {}
    for rule in inputs.rules:
        indicator = by_id.get(rule.indicator_id)
        if indicator is None:
            continue
        reason = rule_reason(rule, indicator, inputs.own_rows.get(indicator.pk), groups)
        if reason:
            found.setdefault(indicator.category_id, []).append(
                {
                    "indicator": indicator.code,
                    "text": rule.text,
                    "reason": reason,
                    "serves": rule.serves,
                    "serves_label": str(rule.get_serves_display()),
                }
            )
    return found
