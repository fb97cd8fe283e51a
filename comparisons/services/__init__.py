"""The writes of comparisons (docs/comparisons.md): one module, comparisons.py."""

from comparisons.services.comparisons import (
    NAME_MAX,
    ComparisonError,
    comparison_make,
    saved_comparison_delete,
    saved_comparison_refusal,
    saved_comparison_save,
)

__all__ = [
    "NAME_MAX",
    "ComparisonError",
    "comparison_make",
    "saved_comparison_delete",
    "saved_comparison_refusal",
    "saved_comparison_save",
]
