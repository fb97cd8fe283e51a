"""How a cluster's answers changed between two benchmarkings, judged by each indicator's direction.

Used for the Silver "areas of improvement" proposal and by the individual report's
comparison with the previous benchmarking. Indicators are matched by code, so two
interviews on different catalogue versions compare on the indicators they share.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices

from benchmarking.models import Answer, Indicator, Interview


class Trend(TextChoices):
    IMPROVED = "improved", "Improved"
    DECLINED = "declined", "Declined"
    UNCHANGED = "unchanged", "Unchanged"
    CHANGED = "changed", "Changed (neither better nor worse)"
    NOT_COMPARABLE = "not_comparable", "Not comparable"


@dataclass(frozen=True)
class IndicatorChange:
    indicator: Indicator  # of the current interview's catalogue
    previous: Answer | None
    current: Answer | None
    trend: str


def comparable_value(indicator: Indicator, answer: Answer | None) -> Decimal | None:
    """A number to compare, or None: numbers as they are, yes counts 1, a choice its position
    in the (ordered) option list, several choices and counts their total. Shares have no
    better or worse."""
    if answer is None or answer.missing_reason:
        return None
    kind = indicator.kind
    if kind in Indicator.NUMBER_KINDS:
        return answer.number
    if kind == Indicator.Kind.YES_NO and answer.boolean is not None:
        return Decimal(int(answer.boolean))
    if kind == Indicator.Kind.CHOICE and answer.choice in indicator.options:
        return Decimal(indicator.options.index(answer.choice))
    if kind == Indicator.Kind.MULTI and answer.selected is not None:
        return Decimal(len(answer.selected))
    if kind == Indicator.Kind.COUNTS and answer.parts:
        return sum((Decimal(str(v)) for v in answer.parts.values()), Decimal(0))
    return None


def _trend(indicator: Indicator, before: Decimal | None, after: Decimal | None) -> str:
    if before is None or after is None:
        return Trend.NOT_COMPARABLE
    if before == after:
        return Trend.UNCHANGED
    if indicator.direction == Indicator.Direction.NEUTRAL:
        return Trend.CHANGED
    better = after > before if indicator.direction == Indicator.Direction.HIGHER else after < before
    return Trend.IMPROVED if better else Trend.DECLINED


def indicator_change(indicator: Indicator, old: Answer | None, new: Answer | None) -> IndicatorChange:
    """How one indicator moved between two answers, judged by the indicator's direction."""
    trend = _trend(indicator, comparable_value(indicator, old), comparable_value(indicator, new))
    return IndicatorChange(indicator, old, new, trend)


def _answers_by_code(interview: Interview) -> dict[str, Answer]:
    return {a.indicator.code: a for a in Answer.objects.filter(interview=interview).select_related("indicator")}


def indicator_changes(previous_interview: Interview, current_interview: Interview) -> list[IndicatorChange]:
    """One IndicatorChange per indicator of the current catalogue, in catalogue order (3 queries)."""
    before, after = _answers_by_code(previous_interview), _answers_by_code(current_interview)
    indicators = Indicator.objects.filter(catalogue=current_interview.catalogue_id).order_by("category__order", "order")
    changes = []
    for indicator in indicators:
        changes.append(indicator_change(indicator, before.get(indicator.code), after.get(indicator.code)))
    return changes


def improved_indicators(previous_interview: Interview, current_interview: Interview) -> list[Indicator]:
    return [c.indicator for c in indicator_changes(previous_interview, current_interview) if c.trend == Trend.IMPROVED]
