"""Label codes (domain.md, "Codes are never reused"): their form, and the next one for a country."""

import datetime
import re

from benchmarking.models import Label
from clusters.models import Cluster

LEVEL_LETTERS = {Label.Level.BRONZE: "B", Label.Level.SILVER: "S", Label.Level.GOLD: "G"}
# ISO-3 country, serial, year and month of the benchmarking, level letter: MEX0362018 05B
CODE_PATTERN = re.compile(r"^(?P<country>[A-Z]{3})(?P<serial>\d+)(?P<year>\d{4})(?P<month>\d{2})(?P<level>[BSG])$")
# A code of the earlier database: country, serial (at least three digits), year and month, then
# any suffix (HRV011 201301 CIP0437, DNK063 201604 C160869). The shortest serial that is
# followed by a plausible year and month wins; with years 19xx/20xx it is the only one.
IMPORTED_CODE_PATTERN = re.compile(
    r"^(?P<country>[A-Z]{3})(?P<serial>\d{3,}?)(?P<year>(?:19|20)\d{2})(?P<month>0[1-9]|1[0-2])(?P<suffix>.*)$"
)


def label_code(*, country_alpha3: str, serial: int, benchmarked_on: datetime.date, level: str) -> str:
    return f"{country_alpha3}{serial:03d}{benchmarked_on:%Y%m}{LEVEL_LETTERS[level]}"


def label_code_serial(code: str) -> tuple[str, int] | None:
    """The country and serial of a label code, the project's own or an imported one with a
    suffix (`HRV011201301CIP0437`: HRV, 11); None for a code in neither form."""
    match = CODE_PATTERN.match(code) or IMPORTED_CODE_PATTERN.match(code)
    return (match["country"], int(match["serial"])) if match else None


def next_label_serial(country_alpha3: str) -> int:
    """One more than the highest serial ever used for the country, in any code of its labels,
    imported ones included (domain.md: "Codes are never reused").

    Labels are never deleted (the admin refuses it and foreign keys protect them), so a
    serial, and with it a code, is never reused.
    """
    codes = Label.objects.filter(code__startswith=country_alpha3).values_list("code", flat=True)
    serials = [serial for country, serial in filter(None, map(label_code_serial, codes)) if country == country_alpha3]
    return max(serials, default=0) + 1


def next_label_code(*, cluster: Cluster, level: str, benchmarked_on: datetime.date) -> str:
    alpha3 = cluster.country.alpha3
    return label_code(
        country_alpha3=alpha3, serial=next_label_serial(alpha3), benchmarked_on=benchmarked_on, level=level
    )
