"""The one rule for what agencies report (reporting/validation.py), and the days people type."""

import datetime
from decimal import Decimal

import pytest

from giamsat.indicators.models import Unit
from giamsat.lib.dates import written_day
from giamsat.reporting.models import ValueKind
from giamsat.reporting.validation import check_value, read_amount, update_problems

D = datetime.date
N = Decimal


def fields(problems) -> list[str]:
    return [p.field for p in problems]


def test_a_rate_is_computed_from_its_counts():
    value, problems = check_value(Unit.PERCENT, None, N(453), N(1000))
    assert problems == [] and value.value == N("45.30")
    # The counts of the issue: 4,530 / 10,000 is 45,3%.
    value, problems = check_value(Unit.PERCENT, None, *map(read_amount_only, ("4,530",
                                                                            "10,000")))
    assert problems == [] and value.value == N("45.30")


def read_amount_only(text):
    return read_amount(text)[0]


@pytest.mark.parametrize(("typed", "agrees"), [
    ("45,3", True), ("45", True), ("45,30", True), ("40", False), ("45,4", False),
    ("46", False)])
def test_a_typed_rate_must_agree_with_its_counts(typed, agrees):
    value, problems = check_value(Unit.PERCENT, read_amount_only(typed), N("4.53"), N(10))
    assert (problems == []) == agrees
    if agrees:
        assert value.value == N("45.3")
    else:
        assert fields(problems) == ["value"]
        assert "45,3" in problems[0].message or "45.3" in problems[0].message


@pytest.mark.parametrize(("unit", "number", "ok"), [
    (Unit.PERCENT, "0", True), (Unit.PERCENT, "100", True), (Unit.PERCENT, "100.01", False),
    (Unit.PERCENT, "-0.5", False),
    (Unit.COUNT, "4530", True), (Unit.COUNT, "4530.5", False), (Unit.COUNT, "-1", False),
    (Unit.RANK, "1", True), (Unit.RANK, "0", False), (Unit.RANK, "-5", False),
    (Unit.RANK, "2.5", False), (Unit.RANK, "12345678901234567", False),
    (Unit.RANK, "99999999999", True), (Unit.RANK, "999999999999", False),
    (Unit.VND_BILLION, "99999999999.9999", True),
    (Unit.VND_BILLION, "423378.25", True), (Unit.VND_BILLION, "-3", False),
    (Unit.INDEX, "-3.5", True), (Unit.INDEX, "1.23456", False),
    (Unit.INDEX, "1" + "0" * 16, False),
])
def test_ranges_per_unit_and_the_digits_a_column_holds(unit, number, ok):
    for kind in (ValueKind.VALUE, ValueKind.TARGET):
        _value, problems = check_value(unit, N(number), kind=kind)
        assert (problems == []) == ok, (unit, number, kind, problems)


def test_counts_are_both_or_neither_only_for_a_rate_and_never_above_it():
    assert fields(check_value(Unit.PERCENT, None, N(5), None)[1]) == ["denominator"]
    assert fields(check_value(Unit.PERCENT, N(5), None, N(10))[1]) == ["numerator"]
    assert fields(check_value(Unit.COUNT, N(5), N(5), N(10))[1]) == ["numerator"]
    assert fields(check_value(Unit.PERCENT, None, N(5), N(0))[1]) == ["denominator"]
    too_many = check_value(Unit.PERCENT, None, N(11), N(10))[1]
    assert fields(too_many) == ["numerator"] and "100%" in too_many[0].message
    assert fields(check_value(Unit.PERCENT, None, N(-1), N(10))[1]) == ["numerator"]
    assert fields(check_value(Unit.PERCENT, N(5), N(1), N(2), kind=ValueKind.TARGET)[1]) \
        == ["numerator"]


def test_a_note_needs_a_value_and_nothing_at_all_is_nothing():
    assert fields(check_value(Unit.COUNT, None, note="ước đạt")[1]) == ["value"]
    value, problems = check_value(Unit.COUNT, None)
    assert value.value is None and problems == []


@pytest.mark.parametrize(("text", "number"), [
    ("45,3", "45.3"), ("4.530", "4530"), ("1.250,5", "1250.5"), ("45,3%", "45.3"),
    ("-5", "-5"), ("", None)])
def test_numbers_are_read_the_vietnamese_way(text, number):
    assert read_amount(text) == (N(number) if number else None, "")


@pytest.mark.parametrize("text", ["4,5,3", "1e3", "abc", "4 530 000,1,2"])
def test_what_is_not_a_number_says_so(text):
    number, problem = read_amount(text)
    assert number is None and "is not a number" in problem


def test_an_update_names_every_field_at_fault():
    july, today = D(2025, 7, 1), D(2025, 7, 20)
    assert fields(update_problems("", None, "", july, today)) == ["status"]
    assert fields(update_problems("completed", None, "", july, today)) == [
        "completed_on", "evidence"]
    assert update_problems("completed", D(2025, 7, 15), "QĐ 1", july, today) == []
    assert fields(update_problems("in_progress", None, "", july, today,
                                  {"result": "x" * 20001})) == ["result"]


@pytest.mark.parametrize("text", ["27/11/2026", "27.11.2026", "27-11-2026", "27112026",
                                  "27,11,2026", " 27 / 11 / 2026 ", "2026-11-27"])
def test_a_day_is_read_as_every_keypad_writes_it(text):
    assert written_day(text) == D(2026, 11, 27)


@pytest.mark.parametrize(("text", "day"), [("7/1/2026", D(2026, 1, 7)),
                                           ("7.1.2026", D(2026, 1, 7)),
                                           ("07012026", D(2026, 1, 7))])
def test_day_and_month_may_have_one_digit(text, day):
    assert written_day(text) == day


@pytest.mark.parametrize("text", ["31.02.2026", "27/11.2026", "2711026", "271120261",
                                  "11/27/2026", "27/11/26", "hôm nay", ""])
def test_what_is_not_a_day_is_not_read(text):
    assert written_day(text) is None
