"""Moved to benchmarking/documents/questionnaire_print.py; kept only while tests/test_kinds.py,
being rewritten beside the kinds registry (issue 25), still imports `printed_item` from here."""

from benchmarking.documents.questionnaire_print import printed_item  # noqa: F401
