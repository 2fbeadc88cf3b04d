"""Readers for numbers and lists written in prose: targets, indicator statements, and lists
of agencies that have not done something.

Each reader has the signature of the others in `ingest`::

    read_xxx(lines, claimed, context) -> (sections, warnings)

`lines` are the document's lines as read (lines[0] is line 1; NFD, NBSP and tabs left in),
`claimed` the 1-based numbers of lines other readers used: a reader never reads those, and
adds every line it uses. A line starting with TAB is a table cell and is never read here.
`context` is the document's date when known. No input makes a reader raise: what cannot be
read is reported as a Warning with its line.

PDF text wraps sentences across lines, and the monthly report (corpus 000) is
double-spaced, so the readers first join lines into blocks (a bullet, a heading, a
paragraph, a footnote) and match on the joined text, mapping positions back to lines.

- `read_targets`: the "Mục tiêu cụ thể năm YYYY" list of a plan (corpus 001): each bullet
  with a value becomes TargetRecords, two-level ones ("tối thiểu 50%, phấn đấu đạt 70%")
  and per-group ones ("trong đó khối bộ đạt tối thiểu 85%") included.
- `read_indicator_statements`: "<indicator>: value", "<indicator> … đạt value" or
  "<indicator> là value" at the start of a bullet or sentence (corpus 000), with the
  previous month given in brackets and the group averages after "Trong đó".
- `read_agency_lists`: "… chưa <do something>" with the agencies named before, inside or
  after it ("08 cơ quan (bao gồm: …) chưa kiện toàn …").
"""

import bisect
import csv
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from giamsat.indicators.catalogue import entry, match_indicator
from giamsat.ingest.numbers import NUMBER, number_value
from giamsat.ingest.records import (
    AgencyListRecord,
    IndicatorProposal,
    Section,
    SectionKind,
    TargetRecord,
    ValueRecord,
    Warning,
)
from giamsat.ingest.text import clean, fold
from giamsat.tasks.deadlines import month_end

# --- Blocks: lines joined into bullets, headings, paragraphs, footnotes -------------------

_BULLET = re.compile(r"^[-+•*]\s+")
_HEADING = re.compile(r"^(?:[IVXLC]+\.|\d{1,2}\.|[a-zđ]\)|\(\d{1,2}\))\s")
# A footnote at the foot of a PDF page: its number, a space, its text ("1 Các cơ quan …").
_FOOTNOTE = re.compile(r"^\d{1,2}\s+\S")
# PDF export writes the footnote rule as a line of spaces; the page's text resumes on a
# line that starts with a space. A footnote run longer than this is not a footnote.
_RULE_WIDTH = 10
_MAX_FOOTNOTE_LINES = 30
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)\s+(?:\d+|[IVXLC]+)\b")


@dataclass
class _Block:
    """Lines joined with single spaces; positions in `text` map back to line numbers."""

    numbers: list[int] = field(default_factory=list)  # 1-based line numbers
    offsets: list[int] = field(default_factory=list)  # where each line starts in text
    text: str = ""

    def add(self, number: int, text: str) -> None:
        if self.text:
            self.text += " "
        self.numbers.append(number)
        self.offsets.append(len(self.text))
        self.text += text

    def line_at(self, offset: int) -> int:
        index = bisect.bisect_right(self.offsets, max(offset, 0)) - 1
        return self.numbers[max(index, 0)]

    def lines_between(self, start: int, end: int) -> list[int]:
        first = max(bisect.bisect_right(self.offsets, max(start, 0)) - 1, 0)
        last = max(bisect.bisect_right(self.offsets, max(start, end - 1)) - 1, first)
        return self.numbers[first:last + 1]


def _is_label(text: str) -> bool:
    """A short heading such as "Chính phủ số:" or "Nơi nhận:"; it stands alone."""
    return (text.endswith(":") and len(text.split()) <= 6 and text[:1].isupper()
            and not _BULLET.match(text))


def _is_caps_line(text: str) -> bool:
    """"BÁO CÁO", "DỰ THẢO": a title or a watermark; it stands alone."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(text.split()) <= 12


@dataclass
class _BlockBuilder:
    blocks: list[_Block] = field(default_factory=list)
    current: _Block | None = None
    footnote: _Block | None = None
    in_footnotes: int = 0  # lines read since the footnote rule; 0 = not in footnotes
    blanks: int = 0

    def close(self) -> None:
        self.current = self.footnote = None
        self.in_footnotes = self.blanks = 0

    def start(self, number: int, text: str) -> None:
        self.current = _Block()
        self.blocks.append(self.current)
        self.current.add(number, text)

    def footnote_line(self, number: int, text: str) -> None:
        if self.footnote is None or _FOOTNOTE.match(text):
            self.footnote = _Block()
            self.blocks.append(self.footnote)
        self.footnote.add(number, text)

    def text_line(self, number: int, raw: str, text: str) -> None:
        if self.in_footnotes:
            if not raw[:1].isspace() and self.in_footnotes <= _MAX_FOOTNOTE_LINES:
                self.in_footnotes += 1
                self.footnote_line(number, text)
                return
            self.in_footnotes, self.footnote = 0, None  # the page's text resumes
        standalone = _is_label(text) or _is_caps_line(text)
        if (self.current is None or self.blanks >= 2 or standalone
                or _BULLET.match(text) or _HEADING.match(text)):
            self.start(number, text)
        else:
            self.current.add(number, text)
        self.blanks = 0
        if standalone:
            self.current = None


def _blocks(lines: list[str], claimed: set[int]) -> list[_Block]:
    """The text blocks of the lines nobody claimed, table cells left out.

    A block is a bullet, a heading, or a paragraph: it starts at a bullet or heading mark,
    after two blank lines, or after a claimed line or a table cell (with the lines that
    wrap the cell, up to the next blank line); single blank lines (the
    double spacing of PDF text) do not end it. Footnotes at a page's foot become blocks
    of their own, and the sentence they interrupt goes on after them.
    """
    builder = _BlockBuilder()
    in_cell = False  # a line right after a table cell continues the cell (tables.py)
    for number, raw in enumerate(lines, start=1):
        text = clean(raw)
        if raw.startswith("\t"):
            in_cell = True
        elif in_cell and text and not _APPENDIX.match(text):
            continue
        else:
            in_cell = False
        if in_cell or number in claimed:
            builder.close()
            continue
        if not text or (_PAGE_NUMBER.match(text) and builder.blanks >= 2):
            if not text and len(raw.rstrip("\r\n")) >= _RULE_WIDTH:
                builder.in_footnotes, builder.footnote = 1, None
            elif not builder.in_footnotes:
                builder.blanks += 1
            continue
        builder.text_line(number, raw, text)
    return builder.blocks


def _raw(lines: list[str], numbers: list[int]) -> str:
    return "\n".join(lines[n - 1] for n in numbers)


def _sentence_starts(text: str, start: int = 0) -> list[int]:
    """Where sentences start: at `start` and after ". " or "; " before a capital letter.

    "TP. Hồ Chí Minh" is not a sentence end.
    """
    starts = [start]
    for match in re.finditer(r"[.;]\s+", text):
        following = text[match.end():match.end() + 1]
        if match.start() < start or not following.isupper():
            continue
        if text[max(match.start() - 2, 0):match.start()] in ("TP", "Tp"):
            continue
        starts.append(match.end())
    return starts


def _safely(read: Callable[[], None], line: int, warnings: list[Warning]) -> None:
    """Run one block's reading; a failure becomes a warning, so an import never stops."""
    try:
        read()
    except Exception as error:  # an importer reports what it could not read, never crashes
        warnings.append(Warning(line, _("This passage could not be read (%(error)s).")
                                % {"error": type(error).__name__}))


def _inputs(lines: object, claimed: object) -> tuple[list[str], set[int]]:
    """The lines as strings, and the caller's claimed set (a new one if it gave none)."""
    lines = [line if isinstance(line, str) else "" for line in (lines or [])]
    return lines, claimed if isinstance(claimed, set) else set()


# --- Quantities: a number and what follows it ---------------------------------------------

_AFTER_NUMBER = re.compile(
    r"\s*(?:(?P<mult>triệu|nghìn|ngàn|tỷ)(?=\s))?\s*"
    r"(?P<unit>%(?:\s*GDP)?(?:\s*/\s*năm)?|Mbps|Gbps|Tbps|Gb/s|Mb/s|MW|đồng|USD)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9}


@dataclass
class _Quantity:
    value: Decimal
    unit: str  # a Unit value ("percent", "count", …), "" for units Unit lacks (Mbps, MW)
    written: str  # the unit as written, normalised: "%", "Mbps", "Tbps", "tỷ đồng", ""
    end: int  # where the number and its unit end in the text


def _quantity(text: str, digits: str, end: int) -> _Quantity | None:
    """The number `digits` that ends at `end` in text, with the unit written after it."""
    value = number_value(digits)
    if value is None:
        return None
    match = _AFTER_NUMBER.match(text, end)
    mult = (match["mult"] or "").lower()
    unit = (match["unit"] or "").lower()
    factor = Decimal(_MULTIPLIERS.get(mult, 1))
    if unit.startswith("%"):
        return _Quantity(value, "percent", "%", match.end())
    if unit in ("mbps", "mb/s"):
        return _Quantity(value, "", "Mbps", match.end())
    if unit in ("gbps", "gb/s"):  # speeds are kept in Mbps: "01 Gb/s" is 1.000 Mbps
        return _Quantity(value * 1000, "", "Mbps", match.end())
    if unit in ("tbps", "mw"):
        return _Quantity(value, "", match["unit"], match.end())
    if unit == "đồng":
        return _Quantity(value * factor / 10**9, "vnd_billion", "tỷ đồng", match.end())
    if unit == "usd":
        return _Quantity(value * factor / 10**6, "usd_million", "triệu USD", match.end())
    # No unit: a count ("81.400 doanh nghiệp", "356,5 triệu giao dịch").
    end = match.end() if mult else end
    return _Quantity(value * factor, "count", mult, end)


def _normalised(value: Decimal) -> Decimal:
    """12.000 → 12000, 20.50 → 20.5: values compare and print the way they read."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def _indicator_for(name: str, unit: str, line: int, raw: str, section: Section,
                   proposed: set[str]) -> tuple[str, str]:
    """(catalogue code or the name as written, unit); an unknown name is proposed once."""
    code = match_indicator(name)
    if code:
        known = entry(code)
        return code, known.unit if known else unit
    if name not in proposed:
        proposed.add(name)
        section.records.append(IndicatorProposal(name=name, line=line, raw=raw, unit=unit))
    return name, unit


# --- Targets: "b) Mục tiêu cụ thể năm 2025" -----------------------------------------------

_TARGET_HEADING = re.compile(r"^(?:(?:[a-zđ]\)|\d{1,2}\.|[ivxlc]+\.)\s*)?muc tieu cu the\b"
                             r"(?:\D{0,20}?(\d{4}))?")
_SECTION_END = re.compile(r"^(?:[IVXLC]+\.|[a-zđ]\)|\d{1,2}\.|\(\d{1,2}\))\s")
_TARGET_NUMBER = re.compile(rf"(?<![\w/.,-])(?P<num>{NUMBER})(?:\s*-\s*(?P<high>{NUMBER}))?")
# Words right before a value that make a bare number a value ("đạt 81.400 doanh
# nghiệp", "xếp thứ 16"); "từ" marks a starting point ("từ 1,8 MW (năm 2024) lên 2,1 MW").
_MARKER = re.compile(r"(tối thiểu|phấn đấu(?: đạt)?|đạt|là|bằng|lên|từ|xếp thứ|:)\s*$",
                     re.IGNORECASE)
_LEAD_VERB = re.compile(r"(?:Bảo đảm|Đảm bảo|Cung cấp|Hoàn thành)", re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^(?:[\s,;:.()]+|(?:và|trong đó|với|về|còn|phấn đấu)\b[\s,]*)",
                           re.IGNORECASE)
_TRAILING_JUNK = re.compile(
    r"(?:[\s,;:.(]+|\b(?:đạt|là|bằng|lên|từ|tối thiểu|phấn đấu|xếp thứ|phải|khoảng)"
    r"|,?\s*năm \d{4})$",
    re.IGNORECASE,
)
_TIME_FRAME = re.compile(r"^(?:(?:hết|đến|trong|cuối)\s+)?năm \d{4},?\s*(?:phải\s+)?",
                         re.IGNORECASE)
_CHANGE = re.compile(r"\btăng \d+ bậc\b", re.IGNORECASE)  # "tăng 04 bậc": a change
_GROUP_NAME = re.compile(r"^(?:khối\s+\S.*|các bộ, ngành|các bộ|các địa phương)$",
                         re.IGNORECASE)
_EQUIVALENT = re.compile(r",?\s*\btương đương\b.*$", re.IGNORECASE)
_SHORT_NAME_WORDS = 3  # "Tăng trưởng" alone does not say what grows


@dataclass
class _Token:
    start: int
    end: int
    quantity: _Quantity
    high: Decimal | None  # "20 - 25%/năm": the upper end
    marker: str  # the word right before: "xếp thứ", "từ", "đạt", ":" or ""


@dataclass
class _Named:
    """A value with the name and group it belongs to, as derived from a clause."""

    names: list[str]  # candidates, best first; the last is the fullest as written
    organisation: str
    token: _Token
    start: int  # where its name (or value) starts in the clause
    aspiration: bool


def _strip(text: str) -> str:
    """A name without the connectors, markers and time frames around it."""
    text = _CHANGE.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_JUNK.sub("", text.strip())
        text = _TIME_FRAME.sub("", text)
        text = _TRAILING_JUNK.sub("", text)
    return " ".join(text.split())


def _tokens(clause: str) -> list[_Token]:
    tokens = []
    for match in _TARGET_NUMBER.finditer(clause):
        # The unit follows the whole number or range: "20 - 25%/năm" is 20% to 25%.
        quantity = _quantity(clause, match["num"], match.end())
        if quantity is None:
            continue
        before = clause[:match.start()]
        marker_match = _MARKER.search(before)
        marker = marker_match[1].lower() if marker_match else ""
        if quantity.unit == "count":
            # A bare number is a value only in a value's place: "4G", "năm 2025",
            # "tăng 04 bậc", "có 01 định danh số" are not targets.
            following = clause[match.end():match.end() + 1]
            if following and (following.isalnum() or following in "/-"):
                continue
            if not marker and not _LEAD_VERB.fullmatch(before.strip()):
                continue
        high = _quantity(clause, match["high"], match.end()) if match["high"] else None
        tokens.append(_Token(match.start(), quantity.end, quantity,
                             high.value if high else None, marker))
    return tokens


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause): the sentences of a bullet, each without its "tương đương …"."""
    starts = _sentence_starts(text)
    pieces = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        pieces.append((start, _EQUIVALENT.sub("", text[start:end])))
    return pieces


def _candidates(segment: str) -> list[str]:
    """Names a value's preceding words may mean: the words after the last comma, then all."""
    whole = _strip(segment)
    tail = _strip(whole.rsplit(", ", 1)[-1]) if ", " in whole else whole
    if tail != whole and len(tail.split()) >= 2:
        return [tail, whole]
    return [whole] if whole else []


def _after_name(text: str) -> str:
    """The words after a value that name it ("90% người dân có …"), up to ":" or ";"."""
    return _strip(re.split(r"[:;]", text, maxsplit=1)[0])


def _leading(clause: str, tokens: list[_Token], index: int,
             verb: re.Match | None) -> tuple[list[str], int, int]:
    """A value written before its name ("100% thôn, bản …", "Hoàn thành 10 cơ sở dữ liệu
    quốc gia"): (names, where it starts, where the next value's words start). The name
    runs to the last comma before the next value; what follows the comma is that value's.
    """
    token = tokens[index]
    has_next = index + 1 < len(tokens)
    after = clause[token.end:tokens[index + 1].start if has_next else len(clause)]
    cursor = token.end
    if has_next and ", " in after:
        cut = after.rindex(", ")
        after, cursor = after[:cut], token.end + cut
    name = _after_name(after)
    if verb:
        name = f"{verb[0]} {name}".strip()
    return ([name] if name else []), token.start, cursor


def _of_group(names: list[str], named: list[_Named]) -> tuple[list[str], str]:
    """"…, trong đó khối bộ đạt tối thiểu 85%": the group's value of the indicator named
    before it. Returns (names, organisation)."""
    if names and _GROUP_NAME.match(names[0]):
        national = next((n for n in reversed(named) if not n.organisation), None)
        if national is not None:
            return national.names, names[0]
    return names, ""


def _named_values(clause: str) -> list[_Named]:
    """Every value in a clause with the name it is a value of."""
    tokens = _tokens(clause)
    named: list[_Named] = []
    cursor = 0
    for index, token in enumerate(tokens):
        segment = clause[cursor:token.start]
        start = cursor + len(segment) - len(segment.lstrip(" ,;:()"))
        cursor = token.end
        aspiration = "phấn đấu" in segment.rsplit(",", 1)[-1].lower()
        names = _candidates(segment)
        if named and not names:  # "…, phấn đấu đạt 70%": the indicator named before
            previous = named[-1]
            named.append(_Named(previous.names, previous.organisation, token,
                                previous.start, aspiration))
            continue
        verb = _LEAD_VERB.fullmatch(_strip(segment))
        if not names or verb:
            names, start, cursor = _leading(clause, tokens, index, verb)
        elif len(names[-1].split()) < _SHORT_NAME_WORDS and index + 1 == len(tokens):
            # "Tăng trưởng 30%/năm, tập trung vào một số ngành, lĩnh vực trọng điểm: …"
            rest = _after_name(clause[token.end:])
            names = [f"{names[-1]}, {rest}"] if rest else names
        names, organisation = _of_group(names, named)
        if token.marker == "xếp thứ":  # "(xếp thứ 63)": a rank in the ranking named
            names = [n if "xep hang" in fold(n) else f"Xếp hạng {n}" for n in names]
        if names:
            named.append(_Named(names, organisation, token, start, aspiration))
    return named


@dataclass
class _TargetList:
    """One "Mục tiêu cụ thể" section being read."""

    lines: list[str]
    section: Section
    period_end: datetime.date
    warnings: list[Warning]
    proposed: set[str] = field(default_factory=set)

    def bullet(self, block: _Block, start: int) -> None:
        """The TargetRecords of one bullet; a warning when it has no value to measure."""
        if not self.records(block, start):
            self.warnings.append(Warning(block.numbers[0], _(
                "The target states no measurable value: “%(text)s”.")
                % {"text": block.text[start:]}))

    def records(self, block: _Block, start: int) -> int:
        raw = _raw(self.lines, block.numbers)
        records: dict[tuple[str, str], TargetRecord] = {}
        for offset, clause in _clauses(block.text[start:]):
            for value in _named_values(clause):
                token = value.token
                if token.marker == "từ":
                    continue  # a starting point ("từ 1,8 MW (năm 2024)"), not a target
                line = block.line_at(start + offset + value.start)
                unit = "rank" if token.marker == "xếp thứ" else token.quantity.unit
                indicator, unit = self.indicator(value.names, unit, line, raw)
                key = (indicator, value.organisation)
                slot = "aspiration" if value.aspiration else "minimum"
                record = records.get(key)
                if record is None or getattr(record, slot) is not None:
                    record = records[key] = TargetRecord(
                        indicator=indicator, period_end=self.period_end, line=line, raw=raw,
                        organisation=value.organisation, unit=unit)
                    self.section.records.append(record)
                setattr(record, slot, _normalised(token.quantity.value))
                if token.high is not None:
                    record.aspiration = _normalised(token.high)
        return len(records)

    def indicator(self, names: list[str], unit: str, line: int, raw: str) -> tuple[str, str]:
        """The first candidate name the catalogue knows, else the fullest, proposed."""
        for name in names:
            code = match_indicator(name)
            if code:
                known = entry(code)
                return code, known.unit if known else unit
        return _indicator_for(names[-1], unit, line, raw, self.section, self.proposed)


def read_targets(lines: list[str], claimed: set[int],
                 context: datetime.date | None = None) -> tuple[list[Section], list[Warning]]:
    """The targets under each "Mục tiêu cụ thể năm YYYY" heading (period_end 31/12/YYYY)."""
    lines, claimed = _inputs(lines, claimed)
    sections: list[Section] = []
    warnings: list[Warning] = []
    blocks = _blocks(lines, claimed)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        heading = _TARGET_HEADING.match(fold(block.text))
        index += 1
        if not heading:
            continue
        year = int(heading[1]) if heading[1] else (context.year if context else None)
        title = clean(lines[block.numbers[0] - 1])
        if year is None:
            warnings.append(Warning(block.numbers[0], _(
                "The targets under “%(title)s” were not read: no year is given.")
                % {"title": title}))
            continue
        section = Section(title=title, kind=SectionKind.TARGETS, line=block.numbers[0])
        sections.append(section)
        claimed.update(block.numbers)
        targets = _TargetList(lines, section, datetime.date(year, 12, 31), warnings)
        # The bullets up to the next heading; area labels ("Chính phủ số:") and
        # watermarks ("DỰ THẢO") between them are not targets.
        while index < len(blocks) and not _SECTION_END.match(blocks[index].text):
            block = blocks[index]
            index += 1
            bullet = _BULLET.match(block.text)
            if bullet:
                claimed.update(block.numbers)
                _safely(functools.partial(targets.bullet, block, bullet.end()),
                        block.numbers[0], warnings)
    return sections, warnings


# --- Indicator statements: "Tỷ lệ …: 90,5% (so với tháng 3 là 89,6%)" --------------------

# An indicator's name starts like one; a statement is the name, then ":", "đạt" or "là",
# then the value. Anything else with a number in it ("tăng 42,29% so với cùng kỳ", "hoàn
# thành 11 nhiệm vụ (tương ứng 68,8%)") is not an indicator statement.
_STATEMENT = re.compile(
    r"(?P<name>(?:Tỷ lệ|Tỉ lệ|Tốc độ|Tổng|Số lượng|Số|Quy mô|Doanh thu|Giá trị)\s"
    r"[^:;.]{2,200}?)"
    r"(?:\s*:\s*|\s+(?P<estimate>ước\s+)?đạt\s+|\s+là\s+)"
    rf"(?P<num>{NUMBER})(?!\d|/\d)"
)
# A bullet may open with a label before its statement: "- Về cấp chữ ký số cho người dân:".
_LABEL = re.compile(r"Về [^:;.]{1,100}:\s*")
_COMPARISON = re.compile(
    rf"\s*\((?:so với\s+)?tháng\s+(?P<month>\d{{1,2}})(?:/(?P<year>\d{{4}}))?\s*(?:là|:)\s*"
    rf"(?P<num>{NUMBER})(?P<rest>[^()]*)\)",
    re.IGNORECASE,
)
_MONTH_IN_NAME = re.compile(r"\btháng\s+(\d{1,2})(?:/(\d{4}))?", re.IGNORECASE)
# "Trong đó, các bộ, ngành đạt trung bình 43,09%", "khối tỉnh đạt tỷ lệ: 15.5%".
_GROUP_VALUE = re.compile(
    r"(?P<group>(?:các|khối)\s+(?:bộ,? ngành|bộ|địa phương|tỉnh(?:, thành phố)?))"
    r"\s+đạt(?:\s+tỷ lệ)?(?P<average>\s+trung bình)?\s*:?\s*"
    rf"(?P<num>{NUMBER})\s*%",
    re.IGNORECASE,
)
_TITLE_PERIOD = re.compile(r"thang (\d{1,2})(?: nam |/)(\d{4})")
_TITLE_LINES = 40


def report_period(lines: list[str]) -> datetime.date | None:
    """The month a report is about, from its title: "BÁO CÁO / Chuyển đổi số quốc gia tháng
    4 năm 2025" → 2025-04-01. None when the title names no month (a plan, an appendix).

    Only the lines after a "BÁO CÁO" heading at the top count, so a date in the text
    ("ngày 18 tháng 7 năm 2025") or a deadline is never taken for the period.
    """
    top = [fold(clean(line)) for line in list(lines or [])[:_TITLE_LINES]
           if isinstance(line, str) and clean(line)]
    for index, line in enumerate(top):
        if not line.startswith("bao cao"):
            continue
        for title in top[index:index + 4]:
            for match in _TITLE_PERIOD.finditer(title):
                if re.search(r"ngay\s*\d{0,2}\s*$", title[:match.start()]):
                    continue  # "ngày 18 tháng 7 năm 2025" is a date, not the period
                month, year = int(match[1]), int(match[2])
                if 1 <= month <= 12 and 1900 < year < 2200:
                    return datetime.date(year, month, 1)
    return None


def _statement_starts(text: str) -> list[int]:
    """Where a statement may start: the bullet's text, after its label, each sentence."""
    start = 0
    bullet = _BULLET.match(text)
    if bullet:
        start = bullet.end()
    starts = _sentence_starts(text, start)
    label = _LABEL.match(text, start)
    if label:
        starts.append(label.end())
    return sorted(set(starts))


def _sentence_end(starts: list[int], position: int, length: int) -> int:
    return next((s for s in starts if s > position), length)


@dataclass
class _StatementReader:
    lines: list[str]
    period: datetime.date | None
    section: Section
    claimed: set[int]
    warnings: list[Warning]
    proposed: set[str] = field(default_factory=set)

    def read_block(self, block: _Block) -> None:
        text = block.text
        starts = _statement_starts(text)
        done = 0
        for start in starts:
            if start < done:
                continue
            match = _STATEMENT.match(text, start)
            if match:
                done = self.statement(block, starts, match)

    def statement(self, block: _Block, starts: list[int], match: re.Match) -> int:
        """Records of one statement; returns where the text it used ends."""
        text = block.text
        name = clean(match["name"])
        quantity = _quantity(text, match["num"], match.end("num"))
        used_end = _sentence_end(starts, match.end(), len(text))
        line = block.line_at(match.start())
        raw = _raw(self.lines, block.lines_between(match.start(), used_end))
        period = self.period_of(name)
        if quantity is None:
            return used_end
        if period is None:
            self.warnings.append(Warning(line, _(
                "“%(text)s”: the month of this value is not known; it was not recorded.")
                % {"text": text[match.start():used_end].strip()}))
            return used_end
        indicator, _unit = _indicator_for(name, quantity.unit, line, raw, self.section,
                                          self.proposed)
        note = _("Estimated value (“ước đạt”).") if match["estimate"] else ""
        self.value(indicator, "", period, quantity.value, line, raw, note)
        self.comparison(block, match, quantity, indicator, period, name)
        if quantity.unit == "percent":
            used_end = self.groups(block, starts, quantity.end, used_end, indicator, period)
        self.claimed.update(block.lines_between(match.start(), used_end))
        return used_end

    def period_of(self, name: str) -> datetime.date | None:
        """"… tháng 4 đạt", "… tính đến tháng 04/2025": the month the name gives, else
        the report's month."""
        month_match = _MONTH_IN_NAME.search(name)
        if month_match and 1 <= int(month_match[1]) <= 12:
            year = month_match[2] or (self.period.year if self.period else None)
            if year:
                return datetime.date(int(year), int(month_match[1]), 1)
        return self.period

    def value(self, indicator: str, organisation: str, period: datetime.date, value: Decimal,
              line: int, raw: str, note: str = "") -> None:
        self.section.records.append(ValueRecord(
            indicator=indicator, organisation=organisation, period=period,
            value=_normalised(value), line=line, raw=raw, note=note,
            resolve_on=month_end(period),
        ))

    def comparison(self, block: _Block, match: re.Match, quantity: _Quantity,
                   indicator: str, period: datetime.date, name: str) -> None:
        """"(so với tháng 3 là 89,6%)": the previous month's value, in the same unit."""
        found = _COMPARISON.match(block.text, quantity.end)
        if not found:
            return
        month = int(found["month"])
        year = int(found["year"]) if found["year"] else (
            period.year if month <= period.month else period.year - 1)
        earlier = _quantity(block.text, found["num"], found.end("num"))
        line = block.line_at(found.start())
        if earlier is None or not 1 <= month <= 12:
            return
        if (earlier.unit, earlier.written) != (quantity.unit, quantity.written):
            self.warnings.append(Warning(line, _(
                "“%(comparison)s” is not in the unit of “%(name)s” (%(value)s); it was not "
                "recorded as its value.") % {"comparison": clean(found[0]), "name": name,
                                             "value": f"{match['num']} {quantity.written}"
                                             .replace(" %", "%").strip()}))
            return
        earlier_period = datetime.date(year, month, 1)
        if earlier_period == period:
            return
        raw = _raw(self.lines, block.lines_between(match.start(), found.end()))
        self.value(indicator, "", earlier_period, earlier.value, line, raw,
                   _("Value for %(month)s/%(year)s given for comparison in the report for "
                     "%(report)s.") % {"month": month, "year": year,
                                       "report": f"{period.month}/{period.year}"})

    def groups(self, block: _Block, starts: list[int], position: int, used_end: int,
               indicator: str, period: datetime.date) -> int:
        """"Trong đó, các bộ, ngành đạt trung bình 43,09%; các địa phương …": the groups'
        values, in the statement's sentence or the next one when it starts "Trong đó"."""
        text = block.text
        end = used_end
        if text.startswith("Trong đó", used_end):
            end = _sentence_end(starts, used_end, len(text))
        found = False
        for match in _GROUP_VALUE.finditer(text, position, end):
            value = number_value(match["num"])
            if value is None:
                continue
            written = clean(match["group"])
            group = "khối " + written[4:] if written.lower().startswith("các ") else written
            note = _("As written: “%(text)s”.") % {"text": clean(match[0])}
            if match["average"]:
                note += " " + _("The average of the group's members.")
            line = block.line_at(match.start())
            raw = _raw(self.lines, block.lines_between(match.start(), match.end()))
            self.value(indicator, group, period, value, line, raw, note)
            found = True
        return end if found else used_end


def read_indicator_statements(
    lines: list[str], claimed: set[int], context: datetime.date | None = None,
) -> tuple[list[Section], list[Warning]]:
    """Indicator values stated in the text, for the report's month (or `context`'s)."""
    lines, claimed = _inputs(lines, claimed)
    period = report_period(lines) or (context.replace(day=1) if context else None)
    section = Section(title=_("Indicator values stated in the text"),
                      kind=SectionKind.INDICATOR_STATEMENTS, line=0)
    warnings: list[Warning] = []
    reader = _StatementReader(lines, period, section, claimed, warnings)
    for block in _blocks(lines, claimed):
        _safely(functools.partial(reader.read_block, block), block.numbers[0], warnings)
    if not section.records:
        return [], warnings
    section.line = min(r.line for r in section.records)
    return [section], warnings


# --- Agency lists: "08 cơ quan (bao gồm: …) chưa kiện toàn …" -----------------------------

_CHUA = re.compile(r"\bchưa\b", re.IGNORECASE)
# Where a "chưa …" phrase ends: punctuation, or a demand that follows it.
_STATEMENT_STOP = re.compile(r"[.;:()]|,\s*(?:khẩn trương|đề nghị|yêu cầu)\b", re.IGNORECASE)
_NOBODY = re.compile(r"^chưa\s+(?:bộ|cơ quan|đơn vị|địa phương|tỉnh|ngành)\s+nào\s+",
                     re.IGNORECASE)
_COUNTED = re.compile(
    r"(?P<count>\d{1,3})\s+(?P<kind>cơ quan|bộ, ngành|bộ|ngành|địa phương|đơn vị"
    r"|tỉnh(?:, thành phố)?)\s*$",
    re.IGNORECASE,
)
# A group inside a list: "(gồm 13 tỉnh, thành phố: Hà Nội, …; và 08 bộ, ngành: …)".
_LIST_GROUP = re.compile(
    r"(?:^|[;,]\s*)(?:và\s+)?(?:(?:bao\s+)?gồm\s*:?\s*)?(?P<count>\d{1,3})\s+"
    r"(?P<kind>[^:;()\d]{1,40}?)\s*:\s*",
    re.IGNORECASE,
)
_INCLUDING = re.compile(r"^(?:bao\s+)?gồm\s*:?\s*", re.IGNORECASE)
_SEPARATOR = re.compile(r"(\s*[,;]\s*|\s+và\s+)")
_MAX_NAME_WORDS = 12
_LIST_REACH = 2000  # characters: no list of agencies is longer
_COUNT_REACH = 40  # "08 cơ quan", "13 tỉnh, thành phố" just before a list
_REFERENCE = Path(__file__).resolve().parents[1] / "orgs" / "data" / "organisations.csv"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s&]|_", " ", fold(text)).split())


@functools.cache
def _compound_names() -> frozenset[str]:
    """Organisation names that contain "," or "và" ("Bộ Văn hóa, Thể thao và Du lịch"),
    from the reference organisations, so that splitting a list does not cut them."""
    try:
        with open(_REFERENCE, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return frozenset()
    names = set()
    for row in rows:
        for name in [row.get("name") or "", *(row.get("aliases") or "").split(";")]:
            if "," in name or " và " in name:
                names.add(_words(name))
    return frozenset(names)


def _part_of_a_name(text: str) -> bool:
    key = _words(text)
    return any(name == key or name.startswith(key + " ") for name in _compound_names())


def _split_names(text: str) -> list[str] | None:
    """The names in a list, as written; None when it is not a list of names."""
    parts = _SEPARATOR.split(clean(text).strip(" .,;"))
    names: list[str] = []
    current = parts[0]
    for separator, part in zip(parts[1::2], parts[2::2], strict=False):
        joined = current + separator + part
        # "Bộ Dân tộc" + " và " + "Tôn giáo" is one name; so is "Sở Thông tin và truyền
        # thông" (a lower-case word goes on a name, it does not start one).
        if _part_of_a_name(joined) or not part[:1].isupper():
            current = joined
        else:
            names.append(current)
            current = part
    names.append(current)
    names = [clean(n).strip(" .,;") for n in names]
    names = [re.sub(r"^và\s+", "", n) for n in names if n]
    valid = names and all(
        n[:1].isupper() and not re.search(r"\d", n) and len(n.split()) <= _MAX_NAME_WORDS
        for n in names
    )
    return names if valid else None


@dataclass
class _ListFound:
    """A list next to a "chưa …" phrase: its text, count, and where the passage spans."""

    text: str
    start: int
    end: int
    count: str = ""  # "08 cơ quan", as written


def _closing(text: str, open_at: int) -> int:
    return text.find(")", open_at + 1, open_at + _LIST_REACH)


def _list_near(text: str, chua: int, stop: int) -> _ListFound | None:
    """The list of agencies a "chưa" phrase is about: inside the brackets it is in
    ("(Văn phòng Chính phủ chưa ban hành)"), after it ("chưa ban hành: A, B", "chưa …
    (A, B)"), or in brackets just before it ("08 cơ quan (bao gồm: A, B) chưa …")."""
    low = max(chua - _LIST_REACH, 0)  # a list is never longer: keeps long texts linear
    opened, closed = text.rfind("(", low, chua), text.rfind(")", low, chua)
    if opened > closed:
        close = _closing(text, chua)
        if close != -1:
            return _ListFound(text[opened + 1:chua], opened, close + 1)
    counted = _COUNTED.search(text, max(chua - _COUNT_REACH, 0), chua)
    count_start = counted.start() if counted else chua
    count = clean(counted[0]) if counted else ""
    if stop < len(text) and text[stop] == ":":
        ends = _sentence_starts(text[:stop + _LIST_REACH], stop)[1:2]
        end = ends[0] if ends else min(len(text), stop + _LIST_REACH)
        return _ListFound(text[stop + 1:end], count_start, end, count)
    if stop < len(text) and text[stop] == "(":
        close = _closing(text, stop)
        if close != -1:
            return _ListFound(text[stop + 1:close], count_start, close + 1, count)
    before = text[low:chua].rstrip()
    if before.endswith(")"):
        opened = before.rfind("(")
        if opened != -1:
            opened += low
            counted = _COUNTED.search(text, max(opened - _COUNT_REACH, 0), opened)
            return _ListFound(_INCLUDING.sub("", text[opened + 1:low + len(before) - 1]),
                              counted.start() if counted else opened, stop,
                              clean(counted[0]) if counted else "")
    return None


def _groups(found: _ListFound) -> list[tuple[str, str]]:
    """(count as written, list text) for each group of a list; one group when none."""
    text = _INCLUDING.sub("", found.text.strip())
    headers = list(_LIST_GROUP.finditer(text))
    if not headers:
        return [(found.count, text)]
    groups = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        groups.append((clean(f"{header['count']} {header['kind']}"), text[header.end():end]))
    return groups


def _statement(text: str) -> str:
    phrase = clean(text).strip(" ,;:")
    phrase = _NOBODY.sub("chưa ", phrase)  # "Chưa Bộ nào hoàn thành …" → "chưa hoàn thành …"
    return phrase[:1].lower() + phrase[1:]


def _agency_lists(lines: list[str], block: _Block, section: Section, claimed: set[int],
                  warnings: list[Warning]) -> None:
    text = block.text
    for chua in _CHUA.finditer(text):
        stop_match = _STATEMENT_STOP.search(text, chua.end())
        stop = stop_match.start() if stop_match else len(text)
        found = _list_near(text, chua.start(), stop)
        if found is None:
            continue
        statement = _statement(text[chua.start():stop])
        numbers = block.lines_between(min(found.start, chua.start()), max(found.end, stop))
        raw = _raw(lines, numbers)
        line = block.line_at(min(found.start, chua.start()))
        for count, names_text in _groups(found):
            names = _split_names(names_text)
            if names is None:
                continue
            section.records.append(AgencyListRecord(statement=statement, agencies=names,
                                                    line=line, raw=raw))
            claimed.update(numbers)
            number = re.match(r"\d+", count)
            if number and int(number[0]) != len(names):
                warnings.append(Warning(line, _(
                    "The text says “%(count)s” but names %(listed)s: %(names)s.")
                    % {"count": count, "listed": len(names), "names": "; ".join(names)}))


def read_agency_lists(lines: list[str], claimed: set[int],
                      context: datetime.date | None = None,
                      ) -> tuple[list[Section], list[Warning]]:
    """Lists of agencies that have not done something, one record per list."""
    lines, claimed = _inputs(lines, claimed)
    section = Section(title=_("Agencies named as not having done something"),
                      kind=SectionKind.AGENCY_LISTS, line=0)
    warnings: list[Warning] = []
    for block in _blocks(lines, claimed):
        _safely(functools.partial(_agency_lists, lines, block, section, claimed, warnings),
                block.numbers[0], warnings)
    if not section.records:
        return [], warnings
    section.line = min(r.line for r in section.records)
    return [section], warnings
