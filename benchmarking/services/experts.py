"""The rule on experts' accreditation: the one place every door asks."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.models import Expert


def accreditation_refusal(*, expert: Expert, day: datetime.date) -> str | None:
    """Why `expert` may not benchmark on `day` (their accreditation does not cover it), or None.

    Asked when an interview starts (on the interview date) and whenever a label is recommended
    or decided (on the day of the benchmarking, audit or assessment behind it): a label never
    rests on the work of an expert who was not accredited on the day of that work.
    """
    if expert.is_accredited_on(day):
        return None
    return _("The accreditation of %(expert)s (%(start)s to %(end)s) does not cover %(day)s.") % {
        "expert": expert,
        "start": date_format(expert.accredited_from),
        "end": date_format(expert.accredited_until),
        "day": date_format(day),
    }
