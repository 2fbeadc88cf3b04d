"""Numbers as the programme's documents write them.

Vietnamese writes a decimal comma and a dot between thousands ("40,1%", "81.400"), but
tables exported from spreadsheets carry a decimal point ("49.79"), sometimes in the same
document ("40.1%, … 51,7%"). The rule: a comma is always decimal; a dot followed by groups
of exactly three digits separates thousands ("16.171.976", "81.400"); any other dot is
decimal ("49.79", "12.4").
"""

import re
from decimal import Decimal, InvalidOperation

NUMBER = r"\d+(?:[.,]\d+)*"
_NUMBER = re.compile(rf"^\s*(-)?\s*({NUMBER})\s*%?\s*$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def parse_number(text: str) -> Decimal | None:
    """The number in text ("40,1%" → 40.1), or None when text is not just a number."""
    match = _NUMBER.match(text or "")
    if not match:
        return None
    sign, digits = match.groups()
    return _to_decimal(digits, negative=bool(sign))


def number_value(digits: str) -> Decimal | None:
    """A number matched by NUMBER inside a longer text."""
    return _to_decimal(digits)


def _to_decimal(digits: str, negative: bool = False) -> Decimal | None:
    if "," in digits:
        if digits.count(",") > 1:
            return None
        digits = digits.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(digits):
        digits = digits.replace(".", "")
    elif digits.count(".") > 1:
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value
