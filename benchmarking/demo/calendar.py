"""The demo's calendar: when its EUCLES board meets, and the time of day of its decisions."""

import datetime

from django.utils import timezone

from benchmarking.rules.dates import add_months
from benchmarking.services.bulk_records import BoardMeeting

BOARD_SINCE = datetime.date(2020, 12, 1)  # EUCLES (settings.ECEI_AWARDING_BODIES): its board decides since
BOARD_MEETING_DAY = 20  # the demo board meets on the 20th of each month


def board_meeting(recommended_on: datetime.date, today: datetime.date) -> BoardMeeting:
    """The demo board's first meeting after a recommendation (never after today)."""
    month = recommended_on if recommended_on.day < BOARD_MEETING_DAY else add_months(recommended_on, 1)
    return BoardMeeting(min(month.replace(day=BOARD_MEETING_DAY), today), f"EUCLES board meeting {month:%B %Y}")


def board_meeting_after(recommended_on: datetime.date, today: datetime.date) -> BoardMeeting | None:
    """The meeting that approved a label recommended that day; None before the board existed
    (the secretariat's approval was the award)."""
    return None if recommended_on < BOARD_SINCE else board_meeting(recommended_on, today)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
