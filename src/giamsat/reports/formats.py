"""Numbers and dates as a Vietnamese government report writes them.

Reports are always in Vietnamese, whatever the reader's screen language: "68,8%",
"1.012 tỷ đồng", "Hà Nội, ngày 05 tháng 01 năm 2025" (Decree 30/2020/NĐ-CP pads days
below 10 and the months January and February with a zero).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def _decimal(value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def number(value, digits: int = 0, keep: bool = False) -> str:
    """1012 → "1.012"; 40.1 → "40,1" (digits=1). With keep, trailing zeros are dropped
    but never more than `digits` decimals are shown (45.30 → "45,3")."""
    if value is None or value == "":
        return "—"
    amount = _decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if keep:
        fraction = fraction.rstrip("0")
    return sign + ".".join(groups) + (f",{fraction}" if fraction else "")


def share(value, digits: int = 1) -> str:
    """A share 0–1 as a percentage: 11/16 → "68,8%"."""
    if value is None:
        return "—"
    return number(_decimal(value) * 100, digits) + "%"


def rate(value, digits: int = 2) -> str:
    """A value already in percent: 40.10 → "40,1%"."""
    if value is None:
        return "—"
    return number(value, digits, keep=True) + "%"


def value_in(value, unit: str) -> str:
    """A value in its indicator's unit, as the monthly report writes it."""
    if value is None:
        return "—"
    if unit == "percent":
        return rate(value)
    text = number(value, 2, keep=True)
    suffix = {"vnd_billion": " tỷ đồng", "usd_million": " triệu USD", "mbps": " Mbps",
              "tbps": " Tbps"}.get(unit, "")
    return text + suffix


def dmy(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def month_year(day: datetime.date) -> str:
    """ "tháng 4 năm 2025" """
    return f"tháng {day.month} năm {day.year}"


def place_and_date(place: str, day: datetime.date | None) -> str:
    """ "Hà Nội, ngày 05 tháng 01 năm 2025"; a report not yet dated leaves blanks to fill."""
    if day is None:
        return f"{place}, ngày      tháng      năm     "
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
