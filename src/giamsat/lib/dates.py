"""The years a date of giamsat may fall in: 1900 to 2199.

Anything outside is a typo ("01/01/0001", "31/12/9999"), never a deadline, an as-of date or
a period, and the month and week arithmetic of the pages would run off the calendar
there. The deadline parser, the periods, the pages' dates and the API's dates all use
this one range.
"""

import datetime

FIRST_YEAR, LAST_YEAR = 1900, 2199


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def in_range(day: datetime.date) -> bool:
    return year_in_range(day.year)
