"""A shown comparison as rows (the CSV) and as plain data (the API), from its snapshot."""

from django.utils.translation import gettext as _

from comparisons.selectors.groups import KEY


def comparison_rows(result, *, withheld: str) -> list[list]:
    """The CSV: what made the group, then one row per number series or option, in the reader's language."""
    snapshot = result.snapshot
    rows = [
        [_("Cluster"), result.cluster.name],
        [_("Catalogue version"), result.catalogue.version],
        [_("Other clusters in the group"), result.size],
        *[[name, values] for name, values in result.described],
        [],
        [
            _("Indicator"), _("Question"), _("Series or answer"), _("This cluster"), "n",
            _("Lower quartile"), _("Median"), _("Upper quartile"), _("Rank"), _("Share (%)"), _("Note"),
        ],
    ]  # fmt: skip
    minimum = snapshot["method"]["min_group_size"]
    too_few = _("Fewer than %(n)s clusters answered: not shown.") % {"n": minimum}
    for category in snapshot["categories"]:
        for entry in category["indicators"]:
            for series in entry.get("series", []):
                stats = series["groups"].get(KEY)
                label = series["label"] or ""
                if stats:
                    rows.append([
                        entry["code"], entry["wording"], label, _number(series["own"]), stats["n"],
                        stats["q1"], stats["median"], stats["q3"], _number(stats["rank"]), "", "",
                    ])  # fmt: skip
                else:
                    note = withheld if series.get("withheld") else too_few
                    rows.append(
                        [entry["code"], entry["wording"], label, _number(series["own"]), "", "", "", "", "", "", note]
                    )
            distribution = entry.get("distribution")
            if distribution is not None:
                counted = distribution["groups"].get(KEY)
                if not counted:
                    note = withheld if distribution.get("withheld") else too_few
                    rows.append([entry["code"], entry["wording"], "", entry["own"], "", "", "", "", "", "", note])
                    continue
                for option in counted["rows"]:
                    own = _("yes") if option["option"] in distribution["own"] else ""
                    rows.append([
                        entry["code"], entry["wording"], option.get("label") or option["option"], own, counted["n"],
                        "", "", "", "", option["share"], "",
                    ])  # fmt: skip
    return rows


def _number(value):
    return "" if value is None else value


def comparison_data(result, *, withheld: str) -> dict:
    """The API's answer: the group (its size and filters, never its members) and each figure."""
    snapshot = result.snapshot
    indicators = []
    for category in snapshot["categories"]:
        for entry in category["indicators"]:
            item = {"code": entry["code"], "question": entry["wording"], "own": entry["own"]}
            if "series" in entry:
                item["series"] = [
                    {
                        "name": s["name"],
                        "label": s["label"] or "",
                        "own": s["own"],
                        "figures": s["groups"].get(KEY),
                        "withheld": bool(s.get("withheld")),
                    }
                    for s in entry["series"]
                ]
            else:
                d = entry["distribution"]
                item["distribution"] = {
                    "own": d["own"],
                    "figures": d["groups"].get(KEY),
                    "withheld": bool(d.get("withheld")),
                }
            indicators.append(item)
    return {
        "cluster": result.cluster.slug,
        "catalogue": result.catalogue.version,
        "group": {
            "size": result.size,
            "filters": result.filters.as_json(),
            "described": [{"filter": name, "values": values} for name, values in result.described],
            "minimum": snapshot["method"]["min_group_size"],
            "withheld_figures": result.withheld,
            "withheld_reason": withheld if result.withheld else "",
        },
        "indicators": indicators,
    }
