"""Indicator values stated in a report's text (corpus 000): "<indicator>: value",
"<indicator> … đạt value" or "<indicator> là value" at the start of a bullet or sentence,
with the previous month given in brackets and the group averages after "Trong đó".
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from giamsat.ingest.numbers import NUMBER, number_value
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
from giamsat.ingest.records import Section, SectionKind, ValueRecord, Warning
from giamsat.lib.i18n import data_text
from giamsat.lib.months import month_end
from giamsat.lib.text import clean, fold

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
# "45,2% (12.340/27.300 hồ sơ)": the counts the rate is of, right after it.
_COUNTS = re.compile(rf"\s*\(\s*(?P<top>{NUMBER})\s*/\s*(?P<bottom>{NUMBER})(?![\d/])[^()]*\)")
# Counts in brackets are the rate's own only if they give it, to the rounding written.
_COUNTS_AGREE = Decimal("0.6")
# A value of the whole country, whoever writes it: "cả nước đạt 52%", "trên toàn quốc".
_NATIONAL = re.compile(r"\b(?:ca nuoc|toan quoc)\b")
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
    bullet = BULLET.match(text)
    if bullet:
        start = bullet.end()
    starts = sentence_starts(text, start)
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

    def read_block(self, block: Block) -> None:
        text = block.text
        starts = _statement_starts(text)
        done = 0
        for start in starts:
            if start < done:
                continue
            match = _STATEMENT.match(text, start)
            if match:
                done = self.statement(block, starts, match)

    def statement(self, block: Block, starts: list[int], match: re.Match) -> int:
        """Records of one statement; returns where the text it used ends."""
        text = block.text
        name = clean(match["name"])
        quantity = read_quantity(text, match["num"], match.end("num"))
        used_end = _sentence_end(starts, match.end(), len(text))
        line = block.line_at(match.start())
        raw = raw_lines(self.lines, block.lines_between(match.start(), used_end))
        period = self.period_of(name)
        if quantity is None:
            return used_end
        if period is None:
            self.warnings.append(Warning(line, _(
                "“%(text)s”: the month of this value is not known; it was not recorded.")
                % {"text": text[match.start():used_end].strip()}))
            return used_end
        indicator, _unit = indicator_for(name, quantity.unit, line, raw, self.section,
                                          self.proposed)
        note = data_text(gettext_noop("Estimated value (“ước đạt”).")) if match["estimate"] \
            else ""
        # The document's own value (its issuer's, the country's when the standing office
        # writes), unless the sentence says it is the whole country's.
        own = not _NATIONAL.search(fold(text[match.start():used_end]))
        counts = _COUNTS.match(text, quantity.end) if quantity.unit == "percent" else None
        top, bottom = (number_value(counts["top"]), number_value(counts["bottom"])) \
            if counts else (None, None)
        if not bottom or abs(top * 100 / bottom - quantity.value) > _COUNTS_AGREE:
            top = bottom = None  # "(15/6)" after a rate is a day, not its counts
        self.value(indicator, "", period, quantity.value, line, raw, note, own,
                   normalised(top) if top is not None else None,
                   normalised(bottom) if bottom is not None else None)
        self.comparison(block, match, quantity, indicator, period, name, own,
                        counts.end() if counts else quantity.end)
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
              line: int, raw: str, note: str = "", own: bool = False,
              numerator: Decimal | None = None, denominator: Decimal | None = None) -> None:
        self.section.records.append(ValueRecord(
            indicator=indicator, organisation=organisation, period=period,
            value=normalised(value), line=line, raw=raw, note=note,
            resolve_on=month_end(period), of_issuer=own, numerator=numerator,
            denominator=denominator,
        ))

    def comparison(self, block: Block, match: re.Match, quantity: Quantity,
                   indicator: str, period: datetime.date, name: str, own: bool,
                   position: int) -> None:
        """"(so với tháng 3 là 89,6%)": the previous month's value, in the same unit."""
        found = _COMPARISON.match(block.text, position)
        if not found:
            return
        month = int(found["month"])
        year = int(found["year"]) if found["year"] else (
            period.year if month <= period.month else period.year - 1)
        earlier = read_quantity(block.text, found["num"], found.end("num"))
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
        raw = raw_lines(self.lines, block.lines_between(match.start(), found.end()))
        self.value(indicator, "", earlier_period, earlier.value, line, raw,
                   data_text(gettext_noop("Value for %(month)s/%(year)s given for comparison "
                                          "in the report for %(report)s."),
                             month=month, year=year, report=f"{period.month}/{period.year}"),
                   own)

    def groups(self, block: Block, starts: list[int], position: int, used_end: int,
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
            note = data_text(gettext_noop("As written: “%(text)s”."), text=clean(match[0]))
            if match["average"]:
                note += " " + data_text(gettext_noop("The average of the group's members."))
            line = block.line_at(match.start())
            raw = raw_lines(self.lines, block.lines_between(match.start(), match.end()))
            self.value(indicator, group, period, value, line, raw, note)
            found = True
        return end if found else used_end


def read_indicator_statements(
    lines: list[str], claimed: set[int], as_of: datetime.date | None = None,
) -> tuple[list[Section], list[Warning]]:
    """Indicator values stated in the text, for the report's month (or `as_of`'s)."""
    lines, claimed = inputs(lines, claimed)
    period = report_period(lines) or (as_of.replace(day=1) if as_of else None)
    section = Section(title=_("Indicator values stated in the text"),
                      kind=SectionKind.INDICATOR_STATEMENTS, line=0)
    warnings: list[Warning] = []
    reader = _StatementReader(lines, period, section, claimed, warnings)
    for block in text_blocks(lines, claimed):
        run_safely("read_indicator_statements", functools.partial(reader.read_block, block),
                   block.numbers[0], warnings)
    if not section.records:
        return [], warnings
    section.line = min(r.line for r in section.records)
    return [section], warnings
