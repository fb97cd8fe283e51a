"""The filters that make a comparison group, as plain data: kept in a saved comparison and in
the record of every comparison made (JSON), read from the page's form and the API's query."""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

# Filters of one kind are alternatives (any of the countries); filters of different kinds all apply.
LIST_FIELDS = ("countries", "regions", "portfolios", "bands", "levels", "statuses", "years")


@dataclass
class GroupFilters:
    countries: list[str] = field(default_factory=list)  # ISO codes
    regions: list[int] = field(default_factory=list)  # Region ids: their countries join `countries`
    portfolios: list[int] = field(default_factory=list)
    bands: list[int] = field(default_factory=list)  # SizeBand ids: any band of a measure, every measure chosen
    levels: list[str] = field(default_factory=list)  # the current label's level
    statuses: list[str] = field(default_factory=list)  # the current label's public status
    years: list[int] = field(default_factory=list)  # the year of the latest approved benchmarking
    catalogue: int | None = None  # the catalogue version compared on (the cluster's latest by default)

    def as_json(self) -> dict:
        """Sorted, so that the same filters are stored the same."""
        data = asdict(self)
        for name in LIST_FIELDS:
            data[name] = sorted(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict) -> "GroupFilters":
        known = {name: data.get(name) or [] for name in LIST_FIELDS}
        return cls(**known, catalogue=data.get("catalogue"))

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in LIST_FIELDS)

    def query(self) -> dict[str, list[str]]:
        """The filters as query parameters (the page's links, CSV and PDF)."""
        query = {name: [str(v) for v in getattr(self, name)] for name in LIST_FIELDS if getattr(self, name)}
        if self.catalogue:
            query["catalogue"] = [str(self.catalogue)]
        return query


def describe(
    filters: GroupFilters, *, regions, portfolios, bands, levels, statuses, countries
) -> list[tuple[str, str]]:
    """Which filters made the group, in words: (filter, values) pairs; `regions`, `portfolios`,
    `bands` map ids to names, `levels`, `statuses` and `countries` codes to names."""
    parts = []
    if filters.regions:
        parts.append((_("Regions"), ", ".join(str(regions.get(pk, pk)) for pk in filters.regions)))
    if filters.countries:
        parts.append((_("Countries"), ", ".join(str(countries.get(c, c)) for c in filters.countries)))
    if filters.portfolios:
        parts.append((_("Comparative portfolios"), ", ".join(str(portfolios.get(pk, pk)) for pk in filters.portfolios)))
    if filters.bands:
        parts.append((_("Size"), ", ".join(str(bands.get(pk, pk)) for pk in filters.bands)))
    if filters.levels:
        parts.append((_("Label level"), ", ".join(str(levels.get(v, v)) for v in filters.levels)))
    if filters.statuses:
        parts.append((_("Label status"), ", ".join(str(statuses.get(v, v)) for v in filters.statuses)))
    if filters.years:
        parts.append((_("Benchmarked in"), ", ".join(str(y) for y in filters.years)))
    if not parts:
        parts.append((_("Filters"), _("none: all benchmarked clusters")))
    return parts
