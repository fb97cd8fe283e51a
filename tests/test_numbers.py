"""Numbers in the reader's language (ecei_site.numbers), kept or not."""

from decimal import Decimal

import pytest
from django.utils import translation

from ecei_site.numbers import (
    NumberRefused,
    figure,
    keeping,
    legacy_figure,
    legacy_rank,
    localized_number,
    parse_number,
    rank_figure,
    rounded,
)

VALUES = ["1234.5", 0.5, 350000, "1997", 12, "0.25", 1234.5]


def test_kept_numbers_read_as_the_ones_written_each_time():
    for language in ("en", "de", "es"):
        with translation.override(language):
            written = [localized_number(v, grouping=g) for v in VALUES for g in (False, True)]
            words: dict = {}
            with keeping(words):
                first = [localized_number(v, grouping=g) for v in VALUES for g in (False, True)]
                again = [localized_number(v, grouping=g) for v in VALUES for g in (False, True)]
        assert first == again == written, language
        assert len(words) == len({(str(v), g) for v in VALUES for g in (False, True)})


def test_numbers_are_kept_only_within_the_block():
    words: dict = {}
    with translation.override("de"), keeping(words):
        assert localized_number("1234.5", grouping=True) == "1.234,5"
    with translation.override("en"):
        assert localized_number("1234.5", grouping=True) == "1,234.5"
    assert list(words) == [("1234.5", True)]


# --- One way to write a figure (issue 24): half up from the decimal value --------------------




@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4.175, "4.18"),  # binary 4.17499999...: the float's own rounding gave 4.17
        (19.025, "19.03"),  # 19.02 before
        (1.675, "1.68"),
        (2.5, "2.5"),
        (0.005, "0.01"),
        (0.004999, "0"),
        (-4.175, "-4.18"),  # away from zero: a figure and its negative read alike
        (-0.001, "0"),  # never "-0"
        (-19.025, "-19.03"),
        (Decimal("79.995"), "80"),
        (1234567.125, "1,234,567.13"),
        (350000, "350,000"),
        (None, "–"),
    ],
)
def test_a_figure_is_rounded_half_up_from_its_decimal_value(value, text):
    with translation.override("en-gb"):
        assert figure(value) == text


def test_the_old_rounding_is_what_the_rule_replaced():
    # The edges of the issue: the binary floats and ties to even that stored reports still show.
    with translation.override("en-gb"):
        assert [legacy_figure(4.175), legacy_figure(19.025), legacy_figure(1.675)] == ["4.17", "19.02", "1.68"]
        assert [legacy_rank(12.5), legacy_rank(37.5)] == ["12", "38"]


@pytest.mark.parametrize(("rank", "text"), [(12.5, "13"), (37.5, "38"), (0.5, "1"), (99.4999, "99"), (50, "50")])
def test_ranks_are_whole_and_rounded_half_up(rank, text):
    assert rank_figure(rank) == text


def test_years_are_whole_and_not_grouped():
    with translation.override("de"):
        assert figure(1994.5, whole=True, grouping=False) == "1995"
        assert figure(2004.25, whole=True, grouping=False) == "2004"


@pytest.mark.parametrize(
    ("language", "big", "small"),
    [("en-gb", "350,000", "4.18"), ("de", "350.000", "4,18"), ("es", "350\u00a0000", "4,18")],
)
def test_figures_are_grouped_as_each_language_writes_them(language, big, small):
    with translation.override(language):
        assert figure(350000) == big
        assert figure(4.175) == small


def test_rounded_keeps_the_decimal():
    assert rounded(Decimal("2.675")) == Decimal("2.68")
    assert rounded(2.675) == Decimal("2.68")  # the float's repr, not its binary value (2.67499...)


# --- Reading a number typed in the reader's language -----------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("en-gb", "350,000", "350000"),
        ("en-gb", "1,234.5", "1234.5"),
        ("en-gb", "350 000", "350000"),
        ("en-gb", "350\u00a0000", "350000"),
        ("en-gb", "350\u202f000", "350000"),
        ("en-gb", "0.125", "0.125"),
        ("en-gb", "1.5", "1.5"),
        ("en-gb", "-2.5", "-2.5"),
        ("en-gb", "1997", "1997"),
        ("de", "350.000", "350000"),
        ("de", "1.234,5", "1234.5"),
        ("de", "1,5", "1.5"),
        ("de", "350 000", "350000"),
        ("de", "0,125", "0.125"),
        ("es", "350\u00a0000", "350000"),
        ("es", "350 000", "350000"),
        ("es", "350.000", "350000"),  # as Babel (CLDR) writes Spanish; unambiguous with a decimal comma
        ("es", "1,5", "1.5"),
    ],
)
def test_a_number_is_read_as_the_language_writes_it(language, text, value):
    with translation.override(language):
        assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        ("en-gb", "1,5", "“1,5” cannot be read as a number here. Write it for example as 350,000 or 1.5"),
        ("en-gb", "350.000", "“350.000” could mean 350 (with decimals) or 350\u00a0000 (in thousands)"),
        ("en-gb", "1.500", "could mean 1.5 (with decimals) or 1\u00a0500"),
        ("en-gb", "1.234,5", "cannot be read as a number here"),
        ("en-gb", "0,125", "cannot be read as a number here"),
        ("en-gb", "12,34", "cannot be read as a number here"),
        ("de", "350,000", "„350,000“ könnte 350 (mit Nachkommastellen) oder 350\u00a0000"),
        ("de", "1.5", "„1.5“ lässt sich hier nicht als Zahl lesen. Schreiben Sie sie zum Beispiel als 350.000 oder"),
        ("es", "350,000", "«350,000» podría significar 350"),
        ("es", "1.5", "«1.5» no se puede leer aquí como un número. Escríbalo, por ejemplo, como 350\u00a0000 o 1,5"),
    ],
)
def test_what_could_be_read_two_ways_is_refused_with_how_to_write_it(language, text, reason):
    with translation.override(language), pytest.raises(NumberRefused) as refused:
        parse_number(text)
    assert reason in str(refused.value)
