"""Deadlines: what each written form means, and that reading never fails."""

import calendar
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamsat.tasks.deadlines import Deadline, DeadlineKind, format_deadline, parse_deadline

K = DeadlineKind
D = date


@pytest.mark.parametrize(
    ("text", "kind", "due", "period_start"),
    [
        # exact days
        ("30/6/2025", K.DATE, D(2025, 6, 30), None),
        ("30/06/2025", K.DATE, D(2025, 6, 30), None),
        ("1/7/2025", K.DATE, D(2025, 7, 1), None),
        ("31.12.2025", K.DATE, D(2025, 12, 31), None),
        ("ngày 30/6/2025", K.DATE, D(2025, 6, 30), None),
        ("ngày 31 tháng 3 năm 2025", K.DATE, D(2025, 3, 31), None),
        ("ngày 15/5 năm 2025", K.DATE, D(2025, 5, 15), None),
        ("30 tháng 6/2025", K.DATE, D(2025, 6, 30), None),
        ("30/6/25", K.DATE, D(2025, 6, 30), None),  # two-digit year
        # "trước" excludes the named day; "chậm nhất", "đến" include it
        ("trước ngày 15/5/2025", K.BEFORE, D(2025, 5, 14), None),
        ("Trước ngày 20/12/2025", K.BEFORE, D(2025, 12, 19), None),
        ("trước 30/6/2025", K.BEFORE, D(2025, 6, 29), None),
        ("hoàn thành trước ngày 31 tháng 3 năm 2025", K.BEFORE, D(2025, 3, 30), None),
        ("trước ngày 1/1/2026", K.BEFORE, D(2025, 12, 31), None),
        ("chậm nhất ngày 15/5/2025", K.BEFORE, D(2025, 5, 15), None),
        ("Chậm nhất là ngày 15/5/2025", K.BEFORE, D(2025, 5, 15), None),
        ("Đến ngày 30 tháng 6 năm 2025", K.BEFORE, D(2025, 6, 30), None),
        ("trước tháng 6/2025", K.BEFORE, D(2025, 5, 31), None),
        ("trước Quý III/2025", K.BEFORE, D(2025, 6, 30), None),
        # months
        ("Tháng 6/2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("tháng 02/2025", K.MONTH, D(2025, 2, 28), D(2025, 2, 1)),
        ("Tháng 2/2024", K.MONTH, D(2024, 2, 29), D(2024, 2, 1)),  # leap year
        ("Tháng 12/2025", K.MONTH, D(2025, 12, 31), D(2025, 12, 1)),
        ("tháng 6 năm 2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("Tháng 6 - 2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("Trong tháng 6/2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("Hết tháng 6 năm 2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("vào tháng 5 năm 2025", K.MONTH, D(2025, 5, 31), D(2025, 5, 1)),
        ("6/2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("Tháng 7/2025.", K.MONTH, D(2025, 7, 31), D(2025, 7, 1)),  # stray punctuation
        ("Tháng 7/2025;", K.MONTH, D(2025, 7, 31), D(2025, 7, 1)),
        ("Tháng \n6/2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),  # split over two lines
        ("  Tháng\u00a06/2025  ", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("THÁNG 6/2025", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        # quarters, roman or arabic
        ("Quý I/2025", K.QUARTER, D(2025, 3, 31), D(2025, 1, 1)),
        ("Quý II/2025", K.QUARTER, D(2025, 6, 30), D(2025, 4, 1)),
        ("Quý III/2025", K.QUARTER, D(2025, 9, 30), D(2025, 7, 1)),
        ("Quý IV/2025", K.QUARTER, D(2025, 12, 31), D(2025, 10, 1)),
        ("Quý 3 năm 2025", K.QUARTER, D(2025, 9, 30), D(2025, 7, 1)),
        ("quý 4/2025", K.QUARTER, D(2025, 12, 31), D(2025, 10, 1)),
        ("trong Quý I năm 2025", K.QUARTER, D(2025, 3, 31), D(2025, 1, 1)),
        # halves
        ("6 tháng đầu năm 2025", K.HALF, D(2025, 6, 30), D(2025, 1, 1)),
        ("06 tháng đầu năm 2025", K.HALF, D(2025, 6, 30), D(2025, 1, 1)),
        ("6 tháng cuối năm 2025", K.HALF, D(2025, 12, 31), D(2025, 7, 1)),
        ("Nửa đầu năm 2025", K.HALF, D(2025, 6, 30), D(2025, 1, 1)),
        # years
        ("Năm 2025", K.YEAR, D(2025, 12, 31), D(2025, 1, 1)),
        ("2025", K.YEAR, D(2025, 12, 31), D(2025, 1, 1)),
        ("Trong năm 2025", K.YEAR, D(2025, 12, 31), D(2025, 1, 1)),
        ("đến hết năm 2025", K.YEAR, D(2025, 12, 31), D(2025, 1, 1)),
        # repeating and empty
        ("Thường xuyên", K.RECURRING, None, None),
        ("thường xuyên", K.RECURRING, None, None),
        ("Nhiệm vụ thường xuyên", K.RECURRING, None, None),
        ("Thường xuyên./.", K.RECURRING, None, None),
        ("Hằng năm", K.YEARLY, None, None),
        ("Hàng năm", K.YEARLY, None, None),
        ("hằng năm", K.YEARLY, None, None),
        ("Hằng quý", K.QUARTERLY, None, None),
        ("Hằng tháng", K.MONTHLY, None, None),
        ("Định kỳ hằng tháng", K.MONTHLY, None, None),
        ("", K.NONE, None, None),
        ("   ", K.NONE, None, None),
        ("-", K.NONE, None, None),
        ("\u2013", K.NONE, None, None),
        # not understood
        ("Tháng 13/2025", K.UNPARSED, None, None),
        ("Tháng 0/2025", K.UNPARSED, None, None),
        ("31/2/2025", K.UNPARSED, None, None),
        ("29/2/2025", K.UNPARSED, None, None),
        ("Quý V/2025", K.UNPARSED, None, None),
        ("quý 5/2025", K.UNPARSED, None, None),
        ("Năm 1800", K.UNPARSED, None, None),
        ("Tháng 6/99999", K.UNPARSED, None, None),
        ("Tháng 6/202", K.UNPARSED, None, None),
        ("9" * 5000, K.UNPARSED, None, None),
        ("Đã hoàn thành", K.UNPARSED, None, None),
        ("Theo Nghị quyết số 71/NQ-CP", K.UNPARSED, None, None),
        ("2025-2026", K.UNPARSED, None, None),
        ("giai đoạn 2025-2030", K.UNPARSED, None, None),
        ("Tháng 6", K.UNPARSED, None, None),  # no year, no context date
        ("trước ngày 15/5", K.UNPARSED, None, None),
    ],
)
def test_parse(text, kind, due, period_start):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due, deadline.period_start) == (kind, due, period_start)
    assert deadline.raw == text
    if kind == K.UNPARSED:
        assert deadline.note  # says why


def test_nfd_input_is_read_like_nfc():
    for text in ("Tháng 6/2025", "Quý III/2025", "trước ngày 15/5/2025", "Hằng năm"):
        nfd = unicodedata.normalize("NFD", text)
        assert nfd != text
        parsed, expected = parse_deadline(nfd), parse_deadline(text)
        assert parsed.raw == nfd  # raw is kept exactly as given
        assert (parsed.kind, parsed.due) == (expected.kind, expected.due)


CONTEXT = D(2025, 7, 18)


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Tháng 6", K.MONTH, D(2025, 6, 30)),
        ("trong tháng 8", K.MONTH, D(2025, 8, 31)),
        ("trước ngày 15/5", K.BEFORE, D(2025, 5, 14)),
        ("Đến ngày 30/6", K.BEFORE, D(2025, 6, 30)),
        ("ngày 30 tháng 6", K.DATE, D(2025, 6, 30)),
        ("15/5", K.DATE, D(2025, 5, 15)),
        ("Quý IV", K.QUARTER, D(2025, 12, 31)),
        ("6 tháng cuối năm", K.HALF, D(2025, 12, 31)),
    ],
)
def test_year_from_context_date(text, kind, due):
    deadline = parse_deadline(text, context_date=CONTEXT)
    assert (deadline.kind, deadline.due) == (kind, due)
    assert "context date" in deadline.note


def test_an_explicit_year_wins_over_the_context_date():
    deadline = parse_deadline("Tháng 6/2026", context_date=CONTEXT)
    assert deadline.due == D(2026, 6, 30) and deadline.note == ""


@pytest.mark.parametrize(
    ("text", "kind", "due", "in_note"),
    [
        # trailing remarks
        ("Tháng 6/2025 (đã lùi từ tháng 3)", K.MONTH, D(2025, 6, 30), "(đã lùi từ tháng 3)"),
        (
            "Tháng 8/2025, theo lộ trình phát triển Cổng Dịch vụ công quốc gia.",
            K.MONTH,
            D(2025, 8, 31),
            "longer text",
        ),
        ("Trình Thủ tướng trong tháng 10/2025.", K.MONTH, D(2025, 10, 31), "trong tháng 10/2025"),
        ("Báo cáo Ban Chỉ đạo trong tháng 7/2025", K.MONTH, D(2025, 7, 31), "longer text"),
        ("2025 và những năm tiếp theo", K.YEAR, D(2025, 12, 31), "'2025'"),
        # several deadlines: the earliest
        ("Tháng 12/2025 và năm 2026", K.MONTH, D(2025, 12, 31), "năm 2026"),
        ("Tháng 9/2025 xong thí điểm; phát triển 2025", K.MONTH, D(2025, 9, 30), "longer"),
        ("Năm 2026, sơ kết trước ngày 15/5/2026", K.BEFORE, D(2026, 5, 14), "Năm 2026"),
        # a rhythm that opens a sentence
        ("Hằng tháng báo cáo Thường trực Ban Chỉ đạo.", K.MONTHLY, None, "Hằng tháng"),
        ("Định kỳ hằng tháng báo cáo Thường trực.", K.MONTHLY, None, "Định kỳ hằng tháng"),
        ("Thường xuyên trong 6 tháng cuối năm", K.RECURRING, None, "Thường xuyên"),
        ("Báo cáo hằng quý", K.QUARTERLY, None, "hằng quý"),
        # a fraction in a sentence is not a day
        ("Hoàn thành 1/3 khối lượng trong tháng 6/2025", K.MONTH, D(2025, 6, 30), "tháng 6"),
    ],
)
def test_deadline_inside_a_longer_text(text, kind, due, in_note):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due) == (kind, due)
    assert in_note in deadline.note


def test_a_date_that_does_not_exist_in_a_longer_text_is_not_guessed_around():
    deadline = parse_deadline("Tháng 6/2025, sau đó ngày 31/6/2025")
    assert deadline.kind == K.UNPARSED and "31" in deadline.note


def test_is_recurring():
    recurring = {K.RECURRING, K.YEARLY, K.QUARTERLY, K.MONTHLY}
    for kind in K:
        assert Deadline("", kind).is_recurring == (kind in recurring)


@pytest.mark.parametrize(
    ("deadline", "text"),
    [
        (Deadline("", K.DATE, D(2025, 6, 30)), "30/06/2025"),
        (Deadline("", K.BEFORE, D(2025, 5, 14)), "Trước ngày 15/05/2025"),
        (Deadline("", K.MONTH, D(2025, 6, 30), D(2025, 6, 1)), "Tháng 6/2025"),
        (Deadline("", K.QUARTER, D(2025, 3, 31), D(2025, 1, 1)), "Quý I/2025"),
        (Deadline("", K.QUARTER, D(2025, 12, 31), D(2025, 10, 1)), "Quý IV/2025"),
        (Deadline("", K.HALF, D(2025, 6, 30), D(2025, 1, 1)), "6 tháng đầu năm 2025"),
        (Deadline("", K.HALF, D(2025, 12, 31), D(2025, 7, 1)), "6 tháng cuối năm 2025"),
        (Deadline("", K.YEAR, D(2025, 12, 31), D(2025, 1, 1)), "Năm 2025"),
        (Deadline("", K.RECURRING), "Thường xuyên"),
        (Deadline("", K.YEARLY), "Hằng năm"),
        (Deadline("", K.QUARTERLY), "Hằng quý"),
        (Deadline("", K.MONTHLY), "Hằng tháng"),
        (Deadline("", K.NONE), ""),
        (Deadline("Tháng  13/2025", K.UNPARSED, note="x"), "Tháng 13/2025"),
    ],
)
def test_format(deadline, text):
    assert format_deadline(deadline) == text


# --- properties ---------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "Tháng", "tháng", "Quý", "quý", "ngày", "Năm", "năm", "trước", "Trước ngày", "chậm nhất",
        "đến hết", "trong", "6 tháng đầu năm", "6 tháng cuối năm", "Thường xuyên", "Hằng năm",
        "hằng tháng", "I", "II", "III", "IV", "V", "/", "-", ".", ",", "(", ")", "\n", "\t", " ",
        "0", "00", "13", "31", "29/2", "2025", "25", "99999999999999999999", "\u0301", "đ",
        "Việt Nam", "và", "giai đoạn",
    ]
)
DEADLINE_LIKE = st.one_of(
    st.lists(FRAGMENTS, max_size=12).map(" ".join),
    st.lists(FRAGMENTS, max_size=12).map("".join),
    st.from_regex(
        r"(trước ngày |chậm nhất |[Tt]háng |[Qq]uý |[Nn]ăm |ngày )?[0-9IVX]{0,6}"
        r"([ /.\-]{0,2}[0-9]{0,6}){0,3}( năm [0-9]{0,5})?[.;]?",
        fullmatch=True,
    ),
)


def _check_total(text: str, context_date: date | None) -> None:
    deadline = parse_deadline(text, context_date)
    assert isinstance(deadline, Deadline)
    assert deadline.raw == text
    assert not deadline.note.startswith("internal error"), deadline.note
    if deadline.kind == K.UNPARSED:
        assert deadline.note
    if deadline.due is not None and deadline.period_start is not None:
        assert deadline.period_start <= deadline.due
    format_deadline(deadline)  # formatting whatever was read never fails either


@given(st.text(), st.none() | st.dates())
def test_never_raises_on_any_text(text, context_date):
    _check_total(text, context_date)


@given(DEADLINE_LIKE, st.none() | st.dates())
def test_never_raises_on_deadline_like_text(text, context_date):
    _check_total(text, context_date)


def _last_day(year: int, month: int) -> date:
    return D(year, month, calendar.monthrange(year, month)[1])


def _deadline_of(kind: DeadlineKind, day: date) -> Deadline:
    """The Deadline of kind that contains day (DATE and BEFORE: due on day)."""
    y, m = day.year, day.month
    if kind in (K.DATE, K.BEFORE):
        return Deadline("", kind, day)
    if kind == K.MONTH:
        return Deadline("", kind, _last_day(y, m), D(y, m, 1))
    if kind == K.QUARTER:
        last = (m + 2) // 3 * 3
        return Deadline("", kind, _last_day(y, last), D(y, last - 2, 1))
    if kind == K.HALF:
        if m <= 6:
            return Deadline("", kind, D(y, 6, 30), D(y, 1, 1))
        return Deadline("", kind, D(y, 12, 31), D(y, 7, 1))
    return Deadline("", kind, D(y, 12, 31), D(y, 1, 1))


DATED_KINDS = [K.DATE, K.BEFORE, K.MONTH, K.QUARTER, K.HALF, K.YEAR]


@given(
    st.sampled_from(DATED_KINDS),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.none() | st.dates(),
)
def test_round_trip_of_dated_deadlines(kind, day, context_date):
    deadline = _deadline_of(kind, day)
    again = parse_deadline(format_deadline(deadline), context_date)
    assert (again.kind, again.due, again.period_start) == (
        deadline.kind,
        deadline.due,
        deadline.period_start,
    )


@given(st.sampled_from([K.RECURRING, K.YEARLY, K.QUARTERLY, K.MONTHLY, K.NONE]))
def test_round_trip_of_undated_deadlines(kind):
    again = parse_deadline(format_deadline(Deadline("", kind)))
    assert (again.kind, again.due, again.period_start) == (kind, None, None)


@given(DEADLINE_LIKE)
def test_format_is_a_fixed_point(text):
    # Whatever was understood, its canonical text is understood the same way.
    deadline = parse_deadline(text, CONTEXT)
    if deadline.kind == K.UNPARSED:
        return
    again = parse_deadline(format_deadline(deadline))
    assert (again.kind, again.due, again.period_start) == (
        deadline.kind,
        deadline.due,
        deadline.period_start,
    )
