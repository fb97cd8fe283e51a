"""Numbers in the reader's language (ecei_site.numbers), kept or not."""

from django.utils import translation

from ecei_site.numbers import keeping, localized_number

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
