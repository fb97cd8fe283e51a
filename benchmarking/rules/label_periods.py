"""A label's validity period (domain.md, "Labels"; README, "Renewal"): a first period per level,
and a renewal that runs on seamlessly from the label it renews, within its grace year. The
periods are settings. Which label a benchmarking renews follows the chronology
(rules/label_terms.py).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from benchmarking.models import Label
from benchmarking.rules.dates import add_years


class LabelError(Exception):
    """A label operation that the rules do not allow; the message says why."""


@dataclass(frozen=True)
class LabelTerms:
    """When a new label would be valid, and which earlier label it renews, if any."""

    valid_from: datetime.date
    valid_until: datetime.date
    renews: Label | None = None

    @property
    def is_renewal(self) -> bool:
        return self.renews is not None


def renewal_deadline(label: Label) -> datetime.date:
    """The last day on which a benchmarking still renews `label` (the grace year)."""
    return add_years(label.valid_until, settings.ECEI_LABEL_RENEWAL_GRACE_YEARS)


# The levels a later benchmarking (or audit) renews (domain.md: Bronze, and Silver "renewable
# like Bronze", up to a year after expiry). Gold starts afresh each time.
RENEWABLE_LEVELS = {Label.Level.BRONZE, Label.Level.SILVER}
# The setting that holds each level's first period (a label that renews nothing).
FIRST_PERIOD_SETTINGS = {
    Label.Level.BRONZE: "ECEI_LABEL_FIRST_VALIDITY_YEARS",
    Label.Level.SILVER: "ECEI_SILVER_VALIDITY_YEARS",
    Label.Level.GOLD: "ECEI_GOLD_VALIDITY_YEARS",
}


def bronze_terms(
    *, benchmarked_on: datetime.date, previous: Label | None, level: str = Label.Level.BRONZE
) -> LabelTerms:
    """The validity of a Bronze (or Silver) label earned by a benchmarking (audit) on `benchmarked_on`.

    - A first label runs 2 years from the interview (audit) date.
    - A benchmarking while the previous label is valid, or up to 1 year after it expired,
      renews it: the new label runs on seamlessly, 3 years from the previous label's end.
    - A later benchmarking starts afresh, like a first label.
    """
    if previous is not None and benchmarked_on <= renewal_deadline(previous):
        return LabelTerms(
            valid_from=previous.valid_until + datetime.timedelta(days=1),
            valid_until=add_years(previous.valid_until, settings.ECEI_LABEL_RENEWAL_VALIDITY_YEARS),
            renews=previous,
        )
    return fixed_terms(level=level, benchmarked_on=benchmarked_on)


def fixed_terms(*, level: str, benchmarked_on: datetime.date) -> LabelTerms:
    """A first period: Bronze 2 years from the interview, Silver 2 from the audit, Gold 2 from the assessment."""
    years = getattr(settings, FIRST_PERIOD_SETTINGS[level])
    return LabelTerms(valid_from=benchmarked_on, valid_until=add_years(benchmarked_on, years))
