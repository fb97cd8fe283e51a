"""Who awards a label: the one home of that rule (settings.ECEI_AWARDING_BODIES, by date)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class AwardingBody:
    name: str
    partner: str = ""

    def __str__(self):
        if self.partner:
            return _("%(body)s, with %(partner)s as operational partner") % {
                "body": self.name,
                "partner": self.partner,
            }
        return self.name


def awarding_body(day: datetime.date) -> AwardingBody:
    """The body that awarded (or awards) a label decided on `day`, and its operational partner."""
    for body in settings.ECEI_AWARDING_BODIES:
        since = body["since"] and datetime.date.fromisoformat(body["since"])
        if since is None or day >= since:
            return AwardingBody(body["name"], body.get("partner", ""))
    raise LookupError(f"No awarding body is configured for {day}.")
