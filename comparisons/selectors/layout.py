"""A comparison laid out for the page and the PDF: the report's charts and tables
(benchmarking.report_layout), and each category's standing in the chosen group."""

from django.utils.translation import ngettext

from benchmarking.charts import standing_strip
from benchmarking.kinds import KINDS
from benchmarking.models import Indicator
from benchmarking.report_layout import laid_out
from comparisons.selectors.groups import KEY


def laid_out_comparison(snapshot: dict) -> dict:
    """The snapshot with the report's charts, and each category's standing in the group."""
    r = laid_out(snapshot)
    for category in r["categories"]:
        category["standing"] = _standing(category["indicators"])
    return r


def _standing(indicators: list[dict]) -> dict | None:
    """Like the report's category_standing, against the chosen group: each directed number
    indicator's rank, turned so that right is better."""
    points = []
    for entry in indicators:
        if entry["direction"] == Indicator.Direction.NEUTRAL or not KINDS[entry["kind"]].is_number:
            continue
        stats = entry["series"][0]["groups"].get(KEY)
        if stats and stats["rank"] is not None:
            score = stats["rank"] if entry["direction"] == Indicator.Direction.HIGHER else 100 - stats["rank"]
            points.append({"code": entry["code"], "score": round(score, 4)})
    if not points:
        return None
    upper = sum(1 for p in points if p["score"] >= 75)
    lower = sum(1 for p in points if p["score"] < 25)
    text = ngettext(
        "%(upper)s of %(n)s compared indicator in the best quarter, %(lower)s in the weakest quarter, "
        "%(between)s in between.",
        "%(upper)s of %(n)s compared indicators in the best quarter, %(lower)s in the weakest quarter, "
        "%(between)s in between.",
        len(points),
    ) % {"upper": upper, "n": len(points), "lower": lower, "between": len(points) - upper - lower}
    return {"points": points, "chart": standing_strip(points), "text": text}
