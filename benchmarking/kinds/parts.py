"""Kinds whose answer is a number per part (the indicator's options): counts and shares."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.kinds.base import MISSING, NBSP, AnswerKind, number_text
from benchmarking.kinds.fields import NumberField, WholeNumberField, json_number, number_widget, typed
from ecei_site.numbers import plain_number


class PartsKind(AnswerKind):
    column = "parts"
    form_name = "PartsForm"
    has_parts = True
    sheet_template = "benchmarking/questionnaire/sheet/parts.html"
    bounds = (Decimal(0), None)
    whole = True  # each part typed without decimals
    decimal_places = 0
    suffix = ""
    total: Decimal | None = None  # what the parts must add up to (shares: 100)
    tolerance = Decimal(0)  # how far the typed total may be from it

    def adds_up(self, indicator) -> bool:
        """Whether the parts' total means something (the form shows it, the answer reads it)."""
        return self.total is not None

    def hard_bounds(self, indicator):
        # Each part within the kind's bounds alone: a catalogue's min and max speak of one number.
        return self.bounds

    @staticmethod
    def part_names(indicator) -> list[tuple[str, str]]:
        """(field name, part) of each part, in the catalogue's order."""
        return [(f"part_{i}", part) for i, part in enumerate(indicator.options)]

    def form_fields(self, indicator):
        fields = {}
        for name, part in self.part_names(indicator):
            widget = number_widget(whole=self.whole, css_class="form-control form-control-sm text-end part-input")
            if self.whole:
                field = WholeNumberField(widget=widget)
            else:
                field = NumberField(max_digits=5, decimal_places=self.decimal_places, widget=widget)
            field.required = False
            field.label = indicator.option_label(part)
            fields[name] = field
        return fields

    def form_columns(self, indicator, cleaned):
        given = {part: cleaned.get(name) for name, part in self.part_names(indicator)}
        if any(v is None for v in given.values()):
            return {}
        return {self.column: {part: json_number(Decimal(v)) for part, v in given.items()}}

    def form_initial(self, indicator, answer):
        parts = getattr(answer, self.column) or {}
        return {name: typed(parts.get(part)) for name, part in self.part_names(indicator)}

    def answer_fields(self, value):
        return {self.column: dict(value)}

    def comparable(self, indicator, row):
        if not row[self.column]:
            return MISSING
        return {part: float(v) for part, v in row[self.column].items() if v is not None}

    def series(self, indicator, value):
        return {part: value[part] for part in indicator.options if part in value}

    def series_names(self, indicator):
        return list(indicator.options)

    def format(self, indicator, answer):
        values = getattr(answer, self.column)
        if not values:
            return ""
        # In the catalogue's order: PostgreSQL's jsonb does not keep the keys' order.
        names = [o for o in indicator.options if o in values]
        names += [n for n in values if n not in names]
        parts = "; ".join(f"{indicator.option_label(name)}: {number_text(values[name])}{self.suffix}" for name in names)
        if not self.adds_up(indicator):
            return parts
        total = sum(Decimal(str(v)) for v in values.values())
        return _("%(parts)s (total %(total)s)") % {"parts": parts, "total": f"{number_text(total)}{self.suffix}"}

    def variable_parts(self, indicator):
        return list(indicator.options)

    def cells(self, indicator, answer):
        values = getattr(answer, self.column) or {}
        return [plain_number(values[part]) if part in values else "" for part in indicator.options]

    def form_input(self, indicator, texts):
        return {f"part_{i}": text for i, text in enumerate(texts)}


class CountsKind(PartsKind):
    kind = "counts"
    label = gettext_lazy("Counts per part")

    def adds_up(self, indicator):
        # Counts checked against a total (A5 against A4) add up; joined and left (A7) do not.
        return indicator.cross_check == indicator.CrossCheck.TOTAL_EQUALS

    def series(self, indicator, value):
        series = super().series(indicator, value)
        total = sum(value.values())
        if total > 0:  # each part's share of the total, e.g. the share of SMEs among the participants
            series |= {f"{part}|share": 100.0 * value[part] / total for part in indicator.options if part in value}
        return series

    def series_names(self, indicator):
        return [name for part in indicator.options for name in (part, f"{part}|share")]

    def progress_value(self, indicator, answer):
        values = getattr(answer, self.column)
        if not values:
            return None
        return sum((Decimal(str(v)) for v in values.values()), Decimal(0))


class SharesKind(PartsKind):
    kind = "shares"
    label = gettext_lazy("Shares per part (sum 100)")
    suffix = f"{NBSP}%"
    bounds = (Decimal(0), Decimal(100))
    whole = False
    decimal_places = 2
    total = Decimal(100)
    tolerance = Decimal("0.5")
    # Shares have no better or worse: no progress value.

    def unit(self, indicator):
        return "%"
