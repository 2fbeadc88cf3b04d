"""Lists of agencies a report names as not having done something: "… chưa <do
something>" with the agencies named before, inside or after it ("08 cơ quan (bao gồm: …)
chưa kiện toàn …", "Còn 21 cơ quan chưa đăng ký chỉ tiêu: …").
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from giamsat.ingest.prose.agencies import split_names
from giamsat.ingest.prose.toolkit import (
    Block,
    inputs,
    raw_lines,
    run_safely,
    sentence_starts,
    text_blocks,
)
from giamsat.ingest.records import AgencyListRecord, Section, SectionKind, Warning
from giamsat.lib.text import clean

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
_MAX_NAME_WORDS = 12
_LIST_REACH = 2000  # characters: no list of agencies is longer
_COUNT_REACH = 40  # "08 cơ quan", "13 tỉnh, thành phố" just before a list


def _list_names(text: str) -> list[str] | None:
    """The names in a list, as written; None when it is not a list of names."""
    names = [re.sub(r"^và\s+", "", n) for n in split_names(clean(text).strip(" .,;"))]
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
        ends = sentence_starts(text, stop, stop + _LIST_REACH)[1:2]
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


_BARE_VERB_WORDS = 3  # "chưa ban hành", "chưa thực hiện xong": a verb without its object


def _with_object(statement: str, text: str, opened: int) -> str:
    """A bare "chưa <verb>" in brackets borrows its object from the clause it explains:
    "… ban hành Kế hoạch hành động thực hiện (Văn phòng Chính phủ chưa ban hành)" is
    "chưa ban hành Kế hoạch hành động thực hiện", which a report can repeat alone."""
    verb = statement.split()[1:]
    if not verb or len(verb) > _BARE_VERB_WORDS or any(w[:1].isupper() for w in verb):
        return statement
    before = text[max(0, opened - _LIST_REACH):opened]
    sentence = before[max(before.rfind(". "), 0):]
    said = list(re.finditer(r"\b" + r"\s+".join(map(re.escape, verb)) + r"\b", sentence,
                            re.IGNORECASE))
    if not said:
        return statement
    match = said[-1]  # the verb nearest the brackets
    thing = clean(_STATEMENT_STOP.split(sentence[match.end():])[0]).strip(" ,")
    words = thing.split()
    if not words or len(words) > _MAX_NAME_WORDS or re.search(r"\d", thing):
        return statement
    return f"{statement} {thing}"


def _agency_lists(lines: list[str], block: Block, section: Section, claimed: set[int],
                  warnings: list[Warning]) -> None:
    text = block.text
    for chua in _CHUA.finditer(text):
        stop_match = _STATEMENT_STOP.search(text, chua.end())
        stop = stop_match.start() if stop_match else len(text)
        found = _list_near(text, chua.start(), stop)
        if found is None:
            continue
        statement = _statement(text[chua.start():stop])
        if found.start < chua.start() and text[found.start] == "(":
            statement = _with_object(statement, text, found.start)
        numbers = block.lines_between(min(found.start, chua.start()), max(found.end, stop))
        raw = raw_lines(lines, numbers)
        line = block.line_at(min(found.start, chua.start()))
        for count, names_text in _groups(found):
            names = _list_names(names_text)
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
                      as_of: datetime.date | None = None,
                      ) -> tuple[list[Section], list[Warning]]:
    """Lists of agencies that have not done something, one record per list."""
    lines, claimed = inputs(lines, claimed)
    section = Section(title=_("Agencies named as not having done something"),
                      kind=SectionKind.AGENCY_LISTS, line=0)
    warnings: list[Warning] = []
    for block in text_blocks(lines, claimed):
        run_safely("read_agency_lists", functools.partial(_agency_lists, lines, block, section,
                                                             claimed, warnings),
                block.numbers[0], warnings)
    if not section.records:
        return [], warnings
    section.line = min(r.line for r in section.records)
    return [section], warnings
