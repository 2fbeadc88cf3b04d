"""Targets a plan sets in prose: the "Mục tiêu cụ thể năm YYYY" list (corpus 001).

Each bullet with a value becomes TargetRecords, two-level ones ("tối thiểu 50%, phấn đấu
đạt 70%") and per-group ones ("trong đó khối bộ đạt tối thiểu 85%") included.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from giamsat.indicators.catalogue import entry, match_indicator
from giamsat.ingest.numbers import NUMBER
from giamsat.ingest.prose.quantities import Quantity, indicator_for, normalised, read_quantity
from giamsat.ingest.prose.toolkit import (
    BULLET,
    Block,
    inputs,
    raw_lines,
    run_safely,
    sentence_starts,
    text_blocks,
)
from giamsat.ingest.records import Section, SectionKind, TargetRecord, Warning
from giamsat.lib.text import clean, fold

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
    quantity: Quantity
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
        quantity = read_quantity(clause, match["num"], match.end())
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
        high = read_quantity(clause, match["high"], match.end()) if match["high"] else None
        tokens.append(_Token(match.start(), quantity.end, quantity,
                             high.value if high else None, marker))
    return tokens


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause): the sentences of a bullet, each without its "tương đương …"."""
    starts = sentence_starts(text)
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

    def bullet(self, block: Block, start: int) -> None:
        """The TargetRecords of one bullet; a warning when it has no value to measure."""
        if not self.records(block, start):
            self.warnings.append(Warning(block.numbers[0], _(
                "The target states no measurable value: “%(text)s”.")
                % {"text": block.text[start:]}))

    def records(self, block: Block, start: int) -> int:
        raw = raw_lines(self.lines, block.numbers)
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
                        organisation=value.organisation, unit=unit,
                        of_issuer=not value.organisation)  # an agency's plan: its own
                    self.section.records.append(record)
                setattr(record, slot, normalised(token.quantity.value))
                if token.high is not None:
                    record.aspiration = normalised(token.high)
        return len(records)

    def indicator(self, names: list[str], unit: str, line: int, raw: str) -> tuple[str, str]:
        """The first candidate name the catalogue knows, else the fullest, proposed."""
        for name in names:
            code = match_indicator(name)
            if code:
                known = entry(code)
                return code, known.unit if known else unit
        return indicator_for(names[-1], unit, line, raw, self.section, self.proposed)


def read_targets(lines: list[str], claimed: set[int],
                 as_of: datetime.date | None = None) -> tuple[list[Section], list[Warning]]:
    """The targets under each "Mục tiêu cụ thể năm YYYY" heading (period_end 31/12/YYYY)."""
    lines, claimed = inputs(lines, claimed)
    sections: list[Section] = []
    warnings: list[Warning] = []
    blocks = text_blocks(lines, claimed)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        heading = _TARGET_HEADING.match(fold(block.text))
        index += 1
        if not heading:
            continue
        year = int(heading[1]) if heading[1] else (as_of.year if as_of else None)
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
            bullet = BULLET.match(block.text)
            if bullet:
                claimed.update(block.numbers)
                run_safely("read_targets", functools.partial(targets.bullet, block, bullet.end()),
                        block.numbers[0], warnings)
    return sections, warnings
