"""Which catalogue version is in force on which day (domain.md, "Catalogue and rules by the
interview's date"): each active version from its publication to the day before the next one's."""

import datetime
from dataclasses import dataclass

from benchmarking.models import Catalogue


@dataclass(frozen=True)
class CataloguePeriod:
    catalogue: Catalogue
    starts: datetime.date
    ends: datetime.date | None  # the last day; None while no later version is published

    def covers(self, day: datetime.date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


def catalogue_periods() -> list[CataloguePeriod]:
    """The active catalogues in the order they came into force, each with its period (one query)."""
    active = list(Catalogue.objects.filter(is_active=True).order_by("published_on", "pk"))
    # Two versions published on one day: the later one (by pk) is in force, as in_force_on says.
    in_force = [c for n, c in enumerate(active) if n + 1 == len(active) or active[n + 1].published_on != c.published_on]
    return [
        CataloguePeriod(
            catalogue,
            catalogue.published_on,
            following.published_on - datetime.timedelta(days=1) if following else None,
        )
        for catalogue, following in zip(in_force, [*in_force[1:], None], strict=True)
    ]


def period_of(catalogue: Catalogue, periods: list[CataloguePeriod] | None = None) -> CataloguePeriod | None:
    """The days `catalogue` is in force (None: inactive, or replaced on its own publication day)."""
    periods = catalogue_periods() if periods is None else periods
    return next((p for p in periods if p.catalogue.pk == catalogue.pk), None)
