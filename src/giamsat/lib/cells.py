"""Spreadsheet cells that never run what a user wrote (OWASP "CSV injection").

A task title or an agency's result is text from outside; when it begins like a formula
(`=HYPERLINK(…)`, `+cmd|…`, `-2+3`, `@SUM(…)`, or a tab or carriage return before one),
Excel and LibreOffice would evaluate it when the file is opened. Every CSV and XLSX
writer of giamsat puts its cells through this module:

- CSV: such text gets a leading apostrophe, as OWASP advises; a spreadsheet shows it as
  text and a program reading the CSV can strip the one character.
- XLSX: such text is stored as a text cell with Excel's "quote prefix" (what typing a
  leading apostrophe does), so it is neither evaluated on opening nor turned into a
  formula when someone edits the cell; the value itself is unchanged.

Numbers stay numbers: int, float and Decimal are never touched, and neither is text that
is exactly a number ("-5", "+3.25"), which a spreadsheet reads as that number and nothing
more.
"""

import re

# What a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def looks_like_formula(value) -> bool:
    """Whether a spreadsheet could evaluate this value as a formula."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _PLAIN_NUMBER.fullmatch(value))


def csv_value(value):
    """The value to write into a CSV cell: formula-like text behind an apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def put(cell, value):
    """Set an openpyxl cell to `value`, keeping formula-like text as text."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"  # openpyxl made "=…" a formula; this stores it as a string
        cell.quotePrefix = True
    return cell
