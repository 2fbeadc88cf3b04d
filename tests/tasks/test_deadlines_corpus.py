"""Every deadline written in the corpus is understood by parse_deadline.

The walk collects deadline texts the way an importer will meet them:
- 001 (draft 2025 action plan): the values of "+ Thời hạn hoàn thành:" items;
- 004 (appendices): every cell of every table column headed "Thời gian hoàn thành",
  "Thời hạn hoàn thành" or "Thời hạn", read with read_cell_tables, and the
  "Thời hạn hoàn thành: …" lines of the prose appendix 07;
- 000 and 003 (report, news article): deadline phrases inside the prose.
"""

import re
from collections import Counter
from datetime import date

import pytest

from giamsat.ingest.tables import find_column, read_cell_tables
from giamsat.lib.text import clean
from giamsat.tasks.deadlines import DeadlineKind, parse_deadline

pytestmark = pytest.mark.corpus

# The date of each document, for deadlines written without a year. 000 is undated (the
# report on April 2025, sent in early May); 001 is the draft plan for 2025.
CONTEXT = {
    "000": date(2025, 5, 1),
    "001": date(2025, 1, 1),
    "003": date(2025, 2, 23),
    "004": date(2025, 7, 18),
}

# Deadline texts that may stay UNPARSED, each with the reason. Keep this list short.
NOT_DEADLINES = {
    "Theo Nghị quyết số 71/NQ-CP": "004 app. 04: the deadline is the one set in another "
    "document (Resolution 71), not a date",
}

# The least number of deadline texts each walk must find, so it cannot pass empty-handed.
AT_LEAST = {"000": 20, "001": 99, "003": 9, "004": 450}

_LABEL = re.compile(r"^\s*\+?\s*Thời (?:hạn|gian)(?: hoàn thành)?\s*:(?P<value>.*)$")
def labelled_values(text: str) -> list[tuple[int, str]]:
    """(line, value) of "Thời hạn hoàn thành: …" lines; the value may go on to the next line."""
    lines = text.splitlines()
    values = []
    for index, line in enumerate(lines):
        match = _LABEL.match(line)
        if not match:
            continue
        value = [match["value"]]
        for following in lines[index + 1 :]:
            # A wrapped value goes on with a digit or a small letter ("Tháng" / "6/2025");
            # a heading, a new item ("- …", "+ …") or a new sentence starts otherwise.
            first = following.strip()[:1]
            if value[-1].rstrip().endswith(".") or not (first.isdigit() or first.islower()):
                break
            value.append(following)
        values.append((index + 1, "\n".join(value)))
    return values


def table_values(text: str) -> list[tuple[int, str]]:
    """(line, cell) of every cell in a deadline column of a cell-per-line table."""
    values = []
    for table in read_cell_tables(text):
        column = find_column(table.header, "thời gian hoàn thành", "thời hạn")
        if column is not None:
            values.extend((row.line, row.cell(column)) for row in table.rows)
    return values


# Deadline phrases in prose (on cleaned text, so a phrase may have been split over lines).
_DAY_NUMBERS = r"\d{1,2}(?:/\d{1,2}(?:/\d{4})?| tháng \d{1,2}(?: năm \d{4})?)"
_DAY = rf"(?:ngày )?{_DAY_NUMBERS}"
_PERIOD = r"(?:tháng \d{1,2}(?:/\d{4}| năm \d{4})|quý [IV]+(?:/\d{4}| năm \d{4}))"
_PROSE = re.compile(
    # "Thời hạn: tháng 6/2025." / "Thời gian hoàn thành: tháng 4/2025”" up to the sentence end
    r"(?<!\w)Thời (?:hạn|gian)(?: hoàn thành)?\s*:?\s*(?P<label>.+?)(?=\.(?:\s|/|$)|[;”\"]|$)"
    # "hoàn thành trước ngày 31 tháng 3 năm 2025", "trước 15/5/2025"
    rf"|(?<!\w)(?P<before>(?i:(?:hoàn thành )?trước) {_DAY})(?!\d)"
    # "Hoàn thành trong tháng 6/2025", "trong Quý I/2025", "vào tháng 5 năm 2025",
    # "Đến ngày 30/6", "Hết tháng 6 năm 2025", "đến hết năm 2025"
    rf"|(?<!\w)(?P<within>(?i:(?:hoàn thành )?(?:trong|vào|hết|đến hết|đến)) "
    rf"(?:{_PERIOD}|ngày {_DAY_NUMBERS}|(?<=hết )năm \d{{4}}))(?!\d)"
)
# "tính đến hết tháng 4/2025" (as of) and "từ ngày 24/03/2025 đến ngày 24/04/2025"
# (a span) are reporting periods, not deadlines.
_NOT_A_DEADLINE_BEFORE = re.compile(r"(?i:tính|từ [^,;.]{0,30})\s*$")


def prose_values(text: str) -> list[tuple[int, str]]:
    """(position, phrase) of deadline phrases in prose; positions are in the cleaned text."""
    flat = clean(text)
    values = []
    for match in _PROSE.finditer(flat):
        kind = match.lastgroup
        if kind == "within" and _NOT_A_DEADLINE_BEFORE.search(flat[: match.start()][-40:]):
            continue
        values.append((match.start(kind), match[kind]))
    return values


def walk(corpus_text) -> dict[str, list[tuple[int, str]]]:
    text = {prefix: corpus_text(prefix) for prefix in CONTEXT}
    return {
        "000": prose_values(text["000"]),
        "001": labelled_values(text["001"]),
        "003": prose_values(text["003"]),
        "004": table_values(text["004"]) + labelled_values(text["004"]),
    }


def test_every_deadline_in_the_corpus_is_understood(corpus_text):
    found = walk(corpus_text)
    kinds: dict[str, Counter] = {}
    not_understood = []
    excused = set()
    for prefix, values in found.items():
        kinds[prefix] = Counter()
        for where, text in values:
            deadline = parse_deadline(text, CONTEXT[prefix])
            kinds[prefix][deadline.kind] += 1
            if deadline.kind != DeadlineKind.UNPARSED:
                continue
            if clean(text) in NOT_DEADLINES:
                excused.add(clean(text))
            else:
                not_understood.append(f"{prefix} @{where}: {text!r} ({deadline.note})")

    print("\ndeadline texts per document and kind:")
    for prefix, counter in kinds.items():
        detail = ", ".join(f"{kind}={n}" for kind, n in counter.most_common())
        print(f"  {prefix}: {sum(counter.values())} ({detail})")

    assert not not_understood, "\n".join(not_understood)
    assert excused == set(NOT_DEADLINES), "an exception is no longer needed: remove it"
    for prefix, least in AT_LEAST.items():
        assert len(found[prefix]) >= least, f"{prefix}: only {len(found[prefix])} deadlines"


def test_corpus_deadline_values_are_the_expected_ones(corpus_text):
    found = walk(corpus_text)
    # 001: 99 labelled items, all of them months, quarters, or repeating tasks.
    due_001 = Counter(parse_deadline(text).kind for _, text in found["001"])
    assert sum(due_001.values()) == 99
    assert set(due_001) == {
        DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.RECURRING, DeadlineKind.YEARLY
    }
    # 003: the two "hoàn thành trước ngày …" of Notice 56/TB-VPCP, read literally.
    before = [parse_deadline(t).due for _, t in found["003"] if "trước" in t]
    assert before == [date(2025, 3, 30), date(2025, 6, 29)]
    # 004 appendix 02: the overdue tasks were all due before the report of 18/07/2025.
    overdue = next(t for t in read_cell_tables(corpus_text("004")) if "QUÁ HẠN" in t.title)
    column = find_column(overdue.header, "thời hạn")
    dues = [parse_deadline(row.cell(column)).due for row in overdue.rows]
    assert len(dues) == 30 and all(due and due < date(2025, 7, 18) for due in dues)
    # 004 appendix 07: one deadline line per problem group (25) and one for the network (H).
    assert len(labelled_values(corpus_text("004"))) == 26


def test_labelled_values_follow_a_value_onto_the_next_line():
    text = (
        "+ Thời hạn hoàn thành: Tháng\n6/2025.\n- Xây dựng …\n"
        "+ Thời hạn hoàn thành: trước ngày 15/5\nnăm 2025\n"
        "+ Thời hạn hoàn thành: Tháng 7/2025\nB. Về nhân lực\n"
        "Thời hạn: Thường xuyên./."
    )
    assert labelled_values(text) == [
        (1, " Tháng\n6/2025."),
        (4, " trước ngày 15/5\nnăm 2025"),
        (6, " Tháng 7/2025"),
        (8, " Thường xuyên./."),
    ]
    dues = [parse_deadline(value).due for _, value in labelled_values(text)]
    assert dues == [date(2025, 6, 30), date(2025, 5, 14), date(2025, 7, 31), None]
