"""How a cluster's answers changed between two benchmarkings, judged by each indicator's direction.

Used for the Silver "areas of improvement" proposal and by the individual report's
comparison with the previous benchmarking. Across catalogue versions an indicator is
compared only with the same question: the earlier indicator that the newer catalogue names
in `Indicator.compares_with` (data), or else the one with the same code, if it has the same
kind, unit and options. Otherwise the change reads "not comparable: the question changed";
an earlier indicator that the newer catalogue no longer asks is listed as dropped.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Indicator, Interview


class Trend(TextChoices):
    IMPROVED = "improved", _("Improved")
    DECLINED = "declined", _("Declined")
    UNCHANGED = "unchanged", _("Unchanged")
    CHANGED = "changed", _("Changed (neither better nor worse)")
    NOT_COMPARABLE = "not_comparable", _("Not comparable")
    QUESTION_CHANGED = "question_changed", _("Not comparable: the question changed")


@dataclass(frozen=True)
class IndicatorChange:
    indicator: Indicator  # of the current interview's catalogue
    previous: Answer | None
    current: Answer | None
    trend: str
    previous_indicator: Indicator | None = None  # what `previous` answered (None: not asked before)

    @property
    def before_indicator(self) -> Indicator:
        """The indicator to read `previous` with: the earlier question, not today's."""
        return self.previous_indicator or self.indicator


def same_question(old: Indicator, new: Indicator) -> bool:
    """Both ask the same thing in the same way: same kind, unit and options (or parts)."""
    return (old.kind, old.unit.strip().casefold(), list(old.options or [])) == (
        new.kind,
        new.unit.strip().casefold(),
        list(new.options or []),
    )


def comparable_value(indicator: Indicator, answer: Answer | None) -> Decimal | None:
    """A number to compare, or None: numbers as they are, yes counts 1, a choice its position
    in the (ordered) option list, several choices and counts their total. Shares have no
    better or worse."""
    if answer is None or answer.missing_reason:
        return None
    return kind_of(indicator).progress_value(indicator, answer)


def _trend(indicator: Indicator, before: Decimal | None, after: Decimal | None) -> str:
    if before is None or after is None:
        return Trend.NOT_COMPARABLE
    if before == after:
        return Trend.UNCHANGED
    if indicator.direction == Indicator.Direction.NEUTRAL:
        return Trend.CHANGED
    better = after > before if indicator.direction == Indicator.Direction.HIGHER else after < before
    return Trend.IMPROVED if better else Trend.DECLINED


def indicator_change(
    indicator: Indicator, old: Answer | None, new: Answer | None, *, old_indicator: Indicator | None = None
) -> IndicatorChange:
    """How one indicator moved between two answers, judged by the indicator's direction.

    `old_indicator`: the earlier catalogue's indicator `old` answered, when it differs.
    """
    old_indicator = old_indicator or indicator
    if old_indicator.pk != indicator.pk and not _comparable(old_indicator, indicator):
        return IndicatorChange(indicator, old, new, Trend.QUESTION_CHANGED, old_indicator)
    before = comparable_value(old_indicator, old)
    trend = _trend(indicator, before, comparable_value(indicator, new))
    return IndicatorChange(indicator, old, new, trend, old_indicator)


def _comparable(old: Indicator, new: Indicator) -> bool:
    return new.compares_with_id == old.pk or (new.compares_with_id is None and same_question(old, new))


def _answers_by_indicator(interview: Interview) -> dict[int, Answer]:
    return {a.indicator_id: a for a in Answer.objects.filter(interview=interview).select_related("indicator")}


def _counterparts(old_indicators: list[Indicator], new_indicators: list[Indicator]) -> dict[int, Indicator]:
    """New indicator pk → the earlier indicator it is compared with: the mapped one, else the same code."""
    by_pk = {i.pk: i for i in old_indicators}
    by_code = {i.code: i for i in old_indicators}
    found = {}
    for new in new_indicators:
        old = by_pk.get(new.compares_with_id) if new.compares_with_id else by_code.get(new.code)
        if old is not None:
            found[new.pk] = old
    return found


@dataclass(frozen=True)
class Progress:
    changes: list[IndicatorChange]
    dropped: list[tuple[Indicator, Answer | None]]  # asked before, no longer asked


def interview_progress(previous_interview: Interview, current_interview: Interview) -> Progress:
    """One IndicatorChange per indicator of the current catalogue, in catalogue order, and the
    earlier indicators the current catalogue dropped (4 queries)."""
    before, after = _answers_by_indicator(previous_interview), _answers_by_indicator(current_interview)
    ordered = ("category__order", "order")
    indicators = list(Indicator.objects.filter(catalogue=current_interview.catalogue_id).order_by(*ordered))
    if previous_interview.catalogue_id == current_interview.catalogue_id:
        old_indicators = indicators
    else:
        old_indicators = list(Indicator.objects.filter(catalogue=previous_interview.catalogue_id).order_by(*ordered))
    return progress_between(old_indicators, indicators, before, after)


def progress_between(
    old_indicators: list[Indicator], indicators: list[Indicator], before: dict[int, Answer], after: dict[int, Answer]
) -> Progress:
    """interview_progress from loaded data (no queries): each catalogue's indicators in catalogue
    order and each interview's answers by indicator id (Answers, or anything with their value
    fields: the report reads answer rows)."""
    counterparts = _counterparts(old_indicators, indicators)
    changes = []
    for indicator in indicators:
        old_indicator = counterparts.get(indicator.pk)
        old_answer = before.get(old_indicator.pk) if old_indicator else None
        changes.append(indicator_change(indicator, old_answer, after.get(indicator.pk), old_indicator=old_indicator))
    used = {old.pk for old in counterparts.values()}
    dropped = [(old, before.get(old.pk)) for old in old_indicators if old.pk not in used]
    return Progress(changes, dropped)


def indicator_changes(previous_interview: Interview, current_interview: Interview) -> list[IndicatorChange]:
    return interview_progress(previous_interview, current_interview).changes


def improved_indicators(previous_interview: Interview, current_interview: Interview) -> list[Indicator]:
    return [c.indicator for c in indicator_changes(previous_interview, current_interview) if c.trend == Trend.IMPROVED]
