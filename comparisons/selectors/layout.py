"""A comparison laid out for the page and the PDF: the report's charts and tables
(benchmarking.report_layout), and each category's standing in the chosen group."""

from benchmarking.charts import standing_strip
from benchmarking.report_layout import laid_out
from benchmarking.selectors.reports.snapshot import standing_in
from comparisons.selectors.groups import KEY


def laid_out_comparison(snapshot: dict) -> dict:
    """The snapshot with the report's charts, and each category's standing in the group."""
    r = laid_out(snapshot)
    for category in r["categories"]:
        category["standing"] = _standing(category["indicators"])
    return r


def _standing(indicators: list[dict]) -> dict | None:
    """The report's category standing (standing_in), against the chosen group, with its strip."""
    standing = standing_in(indicators, KEY)
    return standing and {**standing, "chart": standing_strip(standing["points"])}
