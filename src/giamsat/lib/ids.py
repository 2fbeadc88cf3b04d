"""Record ids as they arrive from outside: in query strings, form field names, the API.

An id is a positive whole number of at most 2^53: within every database's integer (a
larger one made SQLite raise OverflowError and PostgreSQL "bigint out of range", hence a
server error) and exact in JSON. Anything else is not an id of anything.
"""

import re

MAX_ID = 2**53
_DIGITS = re.compile(r"[0-9]{1,16}")  # 2^53 has 16 digits: never int() of 5,000 digits


def parse_id(text: str | None) -> int | None:
    """ "758" → 758; None for anything that cannot be the id of a record."""
    text = (text or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
