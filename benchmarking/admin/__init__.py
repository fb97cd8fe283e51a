"""The benchmarking admin, one module per aggregate, registered in this order:

- `catalogue`: catalogues with their categories and indicators, eligibility criteria
- `experts`: experts and conflicts of interest
- `interviews`: interviews and answers (read only)
- `labels`: labels (status actions, import), reminders, the board's recommendations
- `silver_gold`: Silver audits, Gold assessments, the Gold indicator and baseline requirement sets
- `reports`: recommendation rules, issued reports

`common` holds what they share.
"""

# Registration order: import the modules in this order (not sorted).
from benchmarking.admin import catalogue, experts, interviews, labels, silver_gold, reports  # noqa: I001
from benchmarking.admin.catalogue import INDICATOR_MEANING_FIELDS, catalogue_in_use
from benchmarking.admin.labels import LabelResource
from benchmarking.admin.silver_gold import (
    BASELINE_REQUIREMENT_MEANING_FIELDS,
    GOLD_INDICATOR_MEANING_FIELDS,
    set_in_use,
)

__all__ = [
    "BASELINE_REQUIREMENT_MEANING_FIELDS",
    "GOLD_INDICATOR_MEANING_FIELDS",
    "INDICATOR_MEANING_FIELDS",
    "LabelResource",
    "catalogue",
    "catalogue_in_use",
    "experts",
    "interviews",
    "labels",
    "reports",
    "set_in_use",
    "silver_gold",
]
