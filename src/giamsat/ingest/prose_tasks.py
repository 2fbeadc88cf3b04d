"""Readers for tasks written as prose lists rather than as tables.

Three structures from the programme's documents are read here.

Bullet tasks (`read_bullet_tasks`), the 2025 action plan (corpus 001, "II. NHIỆM VỤ TRIỂN
KHAI")::

    II. NHIỆM VỤ TRIỂN KHAI                      <- section title
     1. Về nhận thức số                          <- area heading ("1." or "(1)")
    - Xây dựng, trình Thủ tướng Chính phủ ...    <- the task title, may wrap
    chương trình tuyên truyền ...
    + Kết quả thực hiện: Quyết định ...          <- labelled fields, each may wrap:
    + Cơ quan chủ trì tổ chức triển khai: ...       expected output, leads,
    + Cơ quan phối hợp:                             coordinators (may be empty or
    + Thời hạn hoàn thành: Tháng 6/2025.            missing), deadline

  A "- " line is a task only when a bulleted label line ("+ Thời hạn: …") follows it:
  the "- " bullets of "I. MỤC TIÊU" are targets and are left to other readers.

Proposal lists (`read_proposal_tasks`), a monthly report (corpus 000, "IV. ĐỀ XUẤT")::

    - Các bộ, ngành, địa phương:                 <- the lead agencies of the items below
    + Xây dựng, ban hành chương trình ...        <- one task per "+" item, with its
    Thời hạn: tháng 5/2025.                         deadline inline

Problem groups (`read_problem_groups`), appendix 07 of the half-year report (corpus 004)::

    PHỤ LỤC 07:                                  <- section title, with the upper-case
    BÁO CÁO TỔNG HỢP CÁC VẤN ĐỀ ...                 lines below it
    A. Về Thủ tục hành chính                     <- area
    1. Chưa ban hành ... quy trình nội bộ        <- a group: number and title
    Vấn đề:                                      <- notes
    Giải pháp:                                   <- expected_output; the agencies that
    (i) UBND các tỉnh khẩn trương rà soát ...       begin its sentences are the leads,
    + Bộ Tài chính ban hành ...                     those after "phối hợp với" coordinate
    Thời hạn hoàn thành: Tháng 7/2025.           <- deadline

  A numbered line is a group only when a "Vấn đề:" or "Giải pháp:" label follows it, so
  numbered lists elsewhere are not taken. A letter heading followed directly by a
  "Giải pháp:" (004: "H. Về Đường truyền …") is a group without number, titled by it.

Common rules: tab lines (table cells) and lines other readers claimed are never used and
end whatever they interrupt; page-break noise (blank lines, lone page numbers, "DỰ THẢO")
is skipped inside a block and never glued into its text. Records keep their first line
and the exact original lines of their span; text fields are clean()ed, wrapped lines
joined with single spaces. Fields a reader cannot place become Warnings. The readers
never raise: an unexpected error becomes one Warning and claims nothing.
"""

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from giamsat.ingest.records import Section, SectionKind, TaskRecord, Warning
from giamsat.ingest.text import clean, fold

Result = tuple[list[Section], list[Warning]]

# Kinds of line.
BARRIER = "barrier"  # a table cell or a line another reader claimed: ends any block
NOISE = "noise"  # blank, a page number, "DỰ THẢO": skipped
SECTION = "section"  # "II. NHIỆM VỤ TRIỂN KHAI", "PHỤ LỤC 07:"
LETTER = "letter"  # "A. Về Thủ tục hành chính"
AREA = "area"  # " 1. Về nhận thức số", "(5) Về phát triển kinh tế số"
SUB = "sub"  # "a) Mục tiêu chung"
LABEL = "label"  # "+ Cơ quan phối hợp: …", "Giải pháp:"
DASH = "dash"  # "- …"
PLUS = "plus"  # "+ …" without a known label
TEXT = "text"
HEADINGS = frozenset({SECTION, LETTER, AREA, SUB})


@dataclass
class _Line:
    number: int  # 1-based
    raw: str
    text: str  # clean()ed
    kind: str
    value: str = ""  # the text after the bullet, label, number or letter
    field: str = ""  # a label's field
    bullet: str = ""  # the "+" or "-" before a label
    mark: str = ""  # the number or letter of a heading


# ---------------------------------------------------------------------------------------
# Lines

@lru_cache(maxsize=2048)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[:1] or char
    folded = base.replace("đ", "d").replace("Đ", "D").lower()
    return folded if len(folded) == 1 else char


def _fold_aligned(text: str) -> str:
    """fold() letter by letter, so that a position in the result is one in text."""
    return "".join(_fold_char(char) for char in text)


def _labels(fields: dict[str, str]) -> re.Pattern[str]:
    """A label at the start of a folded line, with an optional bullet, then ":"."""
    names = "|".join(f"(?P<{name}>{pattern})" for name, pattern in fields.items())
    return re.compile(rf"^(?P<bullet>[-+*•])?\s*(?:{names})\s*:")


_DEADLINE_LABEL = r"thoi (?:han|gian)(?: hoan thanh| thuc hien)?|tien do(?: hoan thanh)?"
TASK_LABELS = _labels(
    {
        "expected_output": r"ket qua(?: thuc hien| dau ra| du kien)?|san pham(?: dau ra)?",
        "leads": r"(?:co quan|don vi) chu tri(?: to chuc)?(?: trien khai| thuc hien)?"
        r"|chu tri",
        "coordinators": r"(?:co quan|don vi) phoi hop(?: thuc hien| trien khai)?|phoi hop",
        "deadline": _DEADLINE_LABEL,
        "notes": r"ghi chu|luu y",
    }
)
PROBLEM_LABELS = _labels(
    {
        "problem": r"van de|thuc trang|ton tai",
        "solution": r"giai phap(?: de xuat| thao go| khac phuc)?",
        "deadline": _DEADLINE_LABEL,
    }
)

_NOISE = re.compile(r"^(?:\d{1,3}|-\s*\d{1,3}\s*-|trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?|du thao)$")
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)\s+\S")
_ROMAN = re.compile(r"^(?P<mark>[IVXLC]+)\s*[.)]\s+(?P<value>\S.*)$")
_LETTER = re.compile(r"^(?P<mark>[A-ZĐ])\s*\.\s+(?P<value>\S.*)$")
_NUMBERED = re.compile(r"^(?:(?P<mark>\d{1,2})\s*\.|\((?P<paren>\d{1,2})\))\s+(?P<value>\S.*)$")
_SUB = re.compile(r"^(?P<mark>[a-zđ])\)\s+(?P<value>\S.*)$")
_DASH = re.compile(r"^[-•](?:\s+|(?=[^\s\d-]))(?P<value>\S.*)$")
_PLUS = re.compile(r"^\+\s*(?P<value>\S.*)$")
_HEADING_LENGTH = 160  # longer "headings" are paragraphs that start with a number
_TERMINAL = (".", "!", "?")
_PART_ENDS = (".", ":", "!", "?")  # a heading may follow a line that ends so


def _tokenise(lines: list[str], claimed: set[int], labels: re.Pattern[str]) -> list[_Line]:
    tokens: list[_Line] = []
    previous: _Line | None = None  # the last line with content, None after a barrier
    for number, raw in enumerate(lines, start=1):
        raw = raw if isinstance(raw, str) else ""
        token = _classify(number, raw, number in claimed, labels, previous)
        tokens.append(token)
        if token.kind == BARRIER:
            previous = None
        elif token.kind != NOISE:
            previous = token
    return tokens


def _classify(
    number: int, raw: str, taken: bool, labels: re.Pattern[str], previous: _Line | None
) -> _Line:
    if taken or raw.startswith("\t"):
        return _Line(number, raw, "", BARRIER)
    text = clean(raw)
    line = _Line(number, raw, text, TEXT, value=text)
    if not text or _NOISE.match(fold(text)):
        line.kind = NOISE
    elif _APPENDIX.match(text):
        line.kind = SECTION
    elif match := labels.match(_fold_aligned(text)):
        line.kind, line.bullet = LABEL, match["bullet"] or ""
        line.field = next(name for name, value in match.groupdict().items()
                          if value is not None and name != "bullet")
        line.value = text[match.end():].strip()
    elif _may_start_part(previous) and (heading := _heading(text)):
        line.kind, line.mark, line.value = heading
    elif match := _DASH.match(text):
        line.kind, line.value = DASH, match["value"]
    elif match := _PLUS.match(text):
        line.kind, line.value = PLUS, match["value"]
    return line


def _may_start_part(previous: _Line | None) -> bool:
    # A wrapped sentence may go on with "(10) Đẩy mạnh …" (001, line 992): a heading
    # only follows a finished line.
    if previous is None or previous.kind in HEADINGS or previous.kind == LABEL:
        return True
    return previous.text.endswith(_PART_ENDS) or _upper_case(previous.text)


def _upper_case(text: str) -> bool:
    """A title line ("BÁO CÁO TỔNG HỢP …"), not a sentence."""
    return any(char.isalpha() for char in text) and text == text.upper()


def _heading(text: str) -> tuple[str, str, str] | None:
    """(kind, mark, value) when text is a heading."""
    if len(text) > _HEADING_LENGTH:
        return None
    if match := _ROMAN.match(text):
        value = match["value"]
        # "C. Về cơ sở vật chất" is a letter heading; "I. MỤC TIÊU" a section.
        if len(match["mark"]) > 1 or value == value.upper():
            return SECTION, match["mark"], value
    if match := _LETTER.match(text):
        return LETTER, match["mark"], match["value"]
    match = _NUMBERED.match(text)
    if match and match["value"][:1].isupper() and not text.endswith((",", ";")):
        return AREA, match["mark"] or match["paren"], match["value"]
    if match := _SUB.match(text):
        return SUB, match["mark"], match["value"]
    return None


def _continues(previous: str, gap: bool) -> bool:
    """Whether a text line goes on from the previous one (not a new paragraph).

    Right below it, always; across page-break noise, only a sentence left unfinished.
    """
    return not gap or not previous.endswith(_TERMINAL)


def _join(pieces: list[str]) -> str:
    """Wrapped lines as one text; "57-" + "NQ/TW" is a compound cut at its hyphen."""
    text = ""
    for piece in map(clean, pieces):
        if not piece:
            continue
        if re.search(r"\w-$", text):
            text += piece
        else:
            text = f"{text} {piece}" if text else piece
    return text


def _deadline_text(text: str) -> str:
    """The deadline as written, without the sentence's full stop or the end mark "./."."""
    return re.sub(r"[\s.,;:/]+$", "", clean(text))


def _names(text: str) -> str:
    """Agency names as written, without the sentence's full stop: "Bộ Nội vụ." → "Bộ Nội vụ"."""
    return clean(text).rstrip(" .;,")


def _raw(tokens: list[_Line]) -> str:
    return "\n".join(token.raw for token in tokens)


def _heading_name(token: _Line) -> str:
    """An area as written, without its number and final punctuation: "Xã hội số"."""
    return clean(token.value).rstrip(" .:")


def _safely(name: str, read: Callable[[list[str], set[int]], tuple[Result, set[int]]],
            lines: list[str], claimed: set[int]) -> Result:
    try:
        (sections, warnings), used = read(list(lines or []), set(claimed or ()))
    except Exception as error:  # a safety net: one odd document must not stop an import
        return [], [Warning(0, f"{name}: internal error, nothing read: {error!r}")]
    claimed.update(used)
    return sections, warnings


def _warn_text(tokens: list[_Line], what: str) -> Warning:
    text = _join([token.text for token in tokens])
    return Warning(tokens[0].number, f"{what}: {_quote(text)}")


def _quote(text: str, size: int = 80) -> str:
    return repr(text if len(text) <= size else text[: size - 1] + "…")


# ---------------------------------------------------------------------------------------
# Bullet tasks

@dataclass
class _Task:
    """A "- " block read: a task when `labelled`; `trailing` is text after its end."""

    record: TaskRecord | None
    span: list[_Line]
    warnings: list[Warning]
    labelled: bool
    trailing: list[_Line]


def read_bullet_tasks(lines: list[str], claimed: set[int]) -> Result:
    """Tasks written as "- title" followed by "+ label: value" fields (corpus 001)."""
    return _safely("read_bullet_tasks", _read_bullets, lines, claimed)


def _read_bullets(lines: list[str], claimed: set[int]) -> tuple[Result, set[int]]:
    sections: dict[int, Section] = {}
    warnings: list[Warning] = []
    used: set[int] = set()
    for heading, area, block in _dash_blocks(_tokenise(lines, claimed, TASK_LABELS)):
        if isinstance(block, list):  # text between two tasks of one list
            warnings.append(_warn_text(block, "text between tasks, not read"))
            used.update(token.number for token in block)
            continue
        record = block.record
        assert record is not None
        record.area = _heading_name(area) if area else ""
        key = heading.number if heading else 0
        if key not in sections:
            title = clean(heading.text) if heading else ""
            sections[key] = Section(title, SectionKind.BULLET_TASKS, heading.number
                                    if heading else record.line)
        sections[key].records.append(record)
        warnings.extend(block.warnings)
        used.update(token.number for token in block.span)
        used.update(token.number for token in (heading, area) if token)
    return (list(sections.values()), warnings), used


def _dash_blocks(
    tokens: list[_Line],
) -> Iterator[tuple[_Line | None, _Line | None, _Task | list[_Line]]]:
    """(section heading, area heading, task or text between tasks), in document order.

    A block runs from a "- " line to the next "- " line or boundary (heading, barrier).
    Text after a task and "- " blocks that are not tasks are reported only when another
    task of the same list follows them: otherwise they belong to whatever comes next.
    """
    heading: _Line | None = None
    area: _Line | None = None
    block: list[_Line] = []
    between: list[list[_Line]] = []
    after_task = False
    for token in [*tokens, _Line(len(tokens) + 1, "", "", BARRIER)]:
        if token.kind in (DASH, BARRIER) or token.kind in HEADINGS:
            task = _read_task(block) if block else None
            block = []
            if task and task.labelled:
                if after_task:
                    yield from ((heading, area, run) for run in between if run)
                yield heading, area, task
                between, after_task = [task.trailing], True
            elif task and after_task:
                between.append(task.span + task.trailing)
        if token.kind == DASH:
            block = [token]
            continue
        if token.kind in HEADINGS or token.kind == BARRIER:
            between, after_task = [], False
        if token.kind in (SECTION, LETTER):
            heading, area = token, None
        elif token.kind == AREA:
            area = token
        elif block:
            block.append(token)


def _read_task(block: list[_Line]) -> _Task:
    """One "- " block: its title, labelled fields, and what could not be placed."""
    dash = block[0]
    parts: dict[str, list[str]] = {"title": [dash.value]}
    warnings: list[Warning] = []
    unknown: list[list[_Line]] = []
    current, previous, gap = "title", dash, False
    placed = 0  # index in block of the last line that belongs to the task
    pending: list[_Line] = []  # text that belongs to the task only if a field follows
    pending_field: str | None = None
    labelled = False
    for index, token in enumerate(block[1:], start=1):
        if token.kind == NOISE:
            gap = True
            continue
        if token.kind in (LABEL, PLUS):
            _settle(pending, pending_field, parts, unknown, warnings)
            pending, placed = [], index
            if token.kind == LABEL:
                labelled = labelled or bool(token.bullet)
                current = token.field
                if "".join(parts.get(current, [])) and token.value:
                    warnings.append(Warning(token.number, f"{current} given twice; joined"))
                parts.setdefault(current, []).append(token.value)
            else:
                current = "unknown"
                unknown.append([token])
        elif pending:
            pending.append(token)
        elif current == "deadline" and "".join(parts["deadline"]) and (
            gap or previous.text.endswith(_TERMINAL)
        ):
            # A deadline does not go on into the next sentence.
            pending, pending_field = [token], None
        elif _continues(previous.text, gap) or current == "deadline":
            _add(token, current, parts, unknown)
            placed = index
        else:
            pending, pending_field = [token], current
        previous, gap = token, False
    span = block[: placed + 1]
    record = _task_record(dash, span, parts) if labelled else None
    if record:
        warnings.extend(_warn_text(run, "unknown field, not read") for run in unknown)
        warnings.extend(_missing(record))
        warnings.sort(key=lambda warning: warning.line)
    return _Task(record, span, warnings, labelled, pending)


def _add(token: _Line, current: str, parts: dict[str, list[str]],
         unknown: list[list[_Line]]) -> None:
    if current == "unknown":
        unknown[-1].append(token)
    else:
        parts[current].append(token.text)


def _settle(pending: list[_Line], target: str | None, parts: dict[str, list[str]],
            unknown: list[list[_Line]], warnings: list[Warning]) -> None:
    """Text held back until a field follows it: it continues its field, or is reported."""
    if not pending:
        return
    if target is None:
        warnings.append(_warn_text(pending, "text after the deadline, not read"))
        return
    for token in pending:
        _add(token, target, parts, unknown)


def _task_record(dash: _Line, span: list[_Line], parts: dict[str, list[str]]) -> TaskRecord:
    text = {name: _join(pieces) for name, pieces in parts.items()}
    return TaskRecord(
        title=text["title"],
        line=dash.number,
        raw=_raw(span),
        expected_output=text.get("expected_output", ""),
        leads=_names(text.get("leads", "")),
        coordinators=_names(text.get("coordinators", "")),
        deadline=_deadline_text(text.get("deadline", "")),
        notes=text.get("notes", ""),
    )


def _missing(record: TaskRecord) -> list[Warning]:
    missing = [what for what, value in (("lead agency", record.leads),
                                        ("deadline", record.deadline)) if not value]
    return [Warning(record.line, f"task without {what}: {_quote(record.title, 60)}")
            for what in missing]


# ---------------------------------------------------------------------------------------
# Proposal lists

_INLINE_DEADLINE = re.compile(rf"(?<![a-z])(?:{_DEADLINE_LABEL})\s*:\s*")


def read_proposal_tasks(lines: list[str], claimed: set[int]) -> Result:
    """Tasks listed as "+" items under a "- <lead agencies>:" line (corpus 000)."""
    return _safely("read_proposal_tasks", _read_proposals, lines, claimed)


def _read_proposals(lines: list[str], claimed: set[int]) -> tuple[Result, set[int]]:
    sections: dict[int, Section] = {}
    warnings: list[Warning] = []
    used: set[int] = set()
    heading: _Line | None = None
    area: _Line | None = None
    tokens = _tokenise(lines, claimed, TASK_LABELS)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind in (SECTION, LETTER):
            heading, area = token, None
        elif token.kind == AREA:
            area = token
        elif token.kind == DASH and _agency_header(token.value):
            items, index = _proposal_items(tokens, index + 1)
            records = [_proposal_record(token, item, warnings) for item in items]
            if records:
                key = heading.number if heading else 0
                if key not in sections:
                    sections[key] = Section(clean(heading.text) if heading else "",
                                            SectionKind.BULLET_TASKS,
                                            heading.number if heading else token.number)
                for record in records:
                    record.area = _heading_name(area) if area else ""
                sections[key].records.extend(records)
                used.update(t.number for t in [token, *(t for item in items for t in item)])
                used.update(t.number for t in (heading, area) if t)
            continue
        index += 1
    return (list(sections.values()), warnings), used


def _agency_header(text: str) -> bool:
    """ "Các bộ, ngành, địa phương:" names agencies; "Các bộ khẩn trương …:" does not."""
    if not text.endswith(":"):
        return False
    name = text[:-1].strip()
    return bool(_AGENCY.match(name)) and len(name.split()) <= 15 and not _VERB.search(name)


def _proposal_items(tokens: list[_Line], index: int) -> tuple[list[list[_Line]], int]:
    """The "+" items from index on, each with its wrapped lines; and where they stop."""
    items: list[list[_Line]] = []
    previous: _Line | None = None
    gap = False
    while index < len(tokens):
        token = tokens[index]
        if token.kind == NOISE:
            gap = True
        elif token.kind == PLUS:
            items.append([token])
        elif (items and previous is not None and token.kind in (TEXT, LABEL)
              and _continues_item(items[-1], previous, token, gap)):
            items[-1].append(token)
        else:
            break
        if token.kind != NOISE:
            previous, gap = token, False
        index += 1
    return items, index


def _continues_item(item: list[_Line], previous: _Line, token: _Line, gap: bool) -> bool:
    """An item ends with the full stop after its deadline, or where a paragraph ends.

    Before its deadline, an item goes on into a "Thời hạn: …" line (000, line 1030).
    """
    if _INLINE_DEADLINE.search(_fold_aligned(_join([t.text for t in item]))):
        return not previous.text.endswith(_TERMINAL)
    return token.kind == LABEL or _continues(previous.text, gap)


def _proposal_record(header: _Line, item: list[_Line], warnings: list[Warning]) -> TaskRecord:
    text = _join([item[0].value] + [token.text for token in item[1:]])
    title, deadline, rest = text, "", ""
    found = _INLINE_DEADLINE.search(_fold_aligned(text))
    if found:
        title = text[: found.start()].strip()
        # "Thời hạn: tháng 6/2025. Báo cáo …": the deadline ends with its sentence.
        deadline, _, rest = text[found.end():].partition(". ")
    record = TaskRecord(
        title=title,
        line=item[0].number,
        raw=_raw([header, *item]),
        leads=_names(header.value.rstrip(" :")),
        deadline=_deadline_text(deadline),
        notes=clean(rest),
    )
    if not record.deadline:
        warnings.append(Warning(record.line, f"task without deadline: {_quote(title, 60)}"))
    return record


# ---------------------------------------------------------------------------------------
# Agencies named in a sentence

# Where an agency's name starts. Group words are complete names ("Các bộ rà soát");
# head words need at least one more word ("Bộ Tư pháp", "Ban chỉ đạo …").
_GROUP_WORDS = (
    r"Các [Bb]ộ|Các [Nn]gành|Các [Tt]ỉnh|Các địa phương|Địa phương|Các doanh nghiệp"
    r"|Doanh nghiệp|Các cơ quan|Các [Ss]ở|Các [Bb]an|UBND|HĐND|Chính phủ|Thủ tướng"
    r"|Các [Tt]ập đoàn"
)
_HEAD_WORDS = (
    r"Bộ|Ban|Cục|Tổng cục|Sở|Viện|Đài|Ủy ban|Uỷ ban|Văn phòng|Ngân hàng|Công an|Thanh tra"
    r"|Kiểm toán|Bảo hiểm|Tòa án|Toà án|Thông tấn|Tập đoàn|Tổng công ty|Hội đồng|Trung tâm"
    r"|Cơ quan"
)
_AGENCY = re.compile(rf"(?:(?P<group>{_GROUP_WORDS})|(?P<head>{_HEAD_WORDS}))(?=[\s,;(]|$)")
# Verbs that end a name: "UBND các tỉnh | khẩn trương rà soát". Lower case only, so that
# "Bộ Xây dựng" keeps its name; no verb here may occur in a name in lower case (hence
# not "giao": "Bộ Ngoại giao"; not "phát triển": "Bộ Nông nghiệp và phát triển nông thôn").
_VERBS = (
    "khẩn trương", "rà soát", "ban hành", "bổ sung", "nghiên cứu", "chủ trì", "phối hợp",
    "chỉ đạo", "tiếp tục", "hướng dẫn", "xây dựng", "cấu hình", "triển khai", "đảm bảo",
    "bảo đảm", "tăng cường", "thực hiện", "cập nhật", "kiểm tra", "làm nghiêm", "đẩy nhanh",
    "đẩy mạnh", "thống kê", "chuyển giao", "khắc phục", "cung cấp", "xóa", "xoá", "hoàn thành",
    "hoàn thiện", "công bố", "công khai", "đề xuất", "đề nghị", "tham mưu", "theo dõi",
    "đôn đốc", "yêu cầu", "báo cáo", "bố trí", "nâng cấp", "đánh giá", "cắt giảm", "sửa đổi",
    "thiết lập", "tích hợp", "kết nối", "duy trì", "giám sát", "tập trung", "ưu tiên",
    "chịu trách nhiệm", "có trách nhiệm", "cần", "phải", "sớm", "xem xét", "quy định",
    "số hóa", "số hoá", "chuẩn hóa", "chuẩn hoá", "phân công", "lựa chọn", "xác định", "chủ động",
)
_VERB = re.compile(r"(?<![\w])(?:" + "|".join(sorted(_VERBS, key=len, reverse=True))
                   + r")(?![\w])")
_COORDINATE = re.compile(r"(?<![\w])phối hợp(?:\s+với)?\s+")
_COORDINATION_ENDS = re.compile(r"(?<![\w])(?:để|nhằm|trong việc)(?![\w])|[.:!?]")
_SEPARATOR = re.compile(r",\s*|;\s*|\s+(?:và|hoặc|cùng)\s+")
_MARKER = re.compile(r"^(?:\((?:[ivxlc]+|\d{1,2}|[a-zđ])\)|[-+*•]|[a-zđ]\)|\d{1,2}[.)])\s*")
_CLAUSE_START = re.compile(r"[.!?]\s+|\(")
_NAME_WORDS = 15  # longer "names" are sentences that happen to start like one


@dataclass
class _Agencies:
    leads: list[str] = field(default_factory=list)
    coordinators: list[str] = field(default_factory=list)

    def add(self, names: list[str], coordinators: list[str]) -> None:
        _extend(self.leads, names)
        _extend(self.coordinators, coordinators)


def _extend(names: list[str], more: list[str]) -> None:
    known = {fold(name) for name in names}
    for name in more:
        if name and fold(name) not in known:
            names.append(name)
            known.add(fold(name))


def agencies_in(paragraph: str) -> tuple[list[str], list[str]]:
    """(leads, coordinators) named at the starts of the sentences of a paragraph.

    "Bộ Công an chủ trì, phối hợp với các bộ, ngành, địa phương rà soát …" gives
    (["Bộ Công an"], ["các bộ, ngành, địa phương"]).
    """
    text = clean(paragraph)
    while marker := _MARKER.match(text):  # "(ii) + …": every marker consumes text
        text = text[marker.end():]
    found = _Agencies()
    starts = [0, *(match.end() for match in _CLAUSE_START.finditer(text))]
    for start in starts:
        names, end = _names_at(text, start)
        if names:
            found.add(names, _coordinators_after(text, end))
    return found.leads, found.coordinators


def _names_at(text: str, start: int) -> tuple[list[str], int]:
    """The agency names that begin text at start and end before its verb; and the verb."""
    agency = _AGENCY.match(text, start)
    if not agency:
        return [], start
    search_from = agency.end()
    if agency["head"]:  # "Bộ" alone is no name: the verb comes after its next word
        word = re.compile(r"\s+\S+").match(text, search_from)
        search_from = word.end() if word else len(text)
    verb = _first_outside_brackets(_VERB, text, search_from, start, stop=";:.!?")
    if verb is None:
        return [], start
    region = text[start:verb.start()].strip(" ,")
    if not region or len(region.split()) > _NAME_WORDS:
        return [], start
    return _split_names(region), verb.start()


def _coordinators_after(text: str, start: int) -> list[str]:
    """Names after "phối hợp (với)" in the clause, up to the next verb or "để"."""
    coordinate = _first_outside_brackets(_COORDINATE, text, start, start, stop=".!?")
    if coordinate is None:
        return []
    begin = coordinate.end()
    verb = _first_outside_brackets(_VERB, text, begin, begin, stop="")
    ends = _first_outside_brackets(_COORDINATION_ENDS, text, begin, begin, stop="")
    end = min((m.start() for m in (verb, ends) if m is not None), default=len(text))
    region = text[begin:end].strip(" ,;")
    if not region or len(region.split()) > _NAME_WORDS:
        return []
    return _split_names(region, always=";")


def _first_outside_brackets(pattern: re.Pattern[str], text: str, begin: int, origin: int,
                            stop: str) -> re.Match[str] | None:
    """First match of pattern from begin that is outside brackets opened after origin,
    before any character of stop outside brackets and before a bracket closes on origin."""
    depth = 0
    matches = {match.start(): match for match in pattern.finditer(text, begin)}
    for position in range(origin, len(text)):
        char = text[position]
        if depth == 0 and position >= begin and position in matches:
            return matches[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:  # the clause was inside brackets, and they close
                return None
        elif depth == 0 and position >= begin and char in stop:
            return None
    return None


def _split_names(region: str, always: str = "") -> list[str]:
    """ "Bộ Công an và UBND các tỉnh" → two names; "Bộ Văn hóa, Thể thao và Du lịch" → one.

    A separator outside brackets splits where an agency's name starts after it (or
    always, for the characters in `always`).
    """
    names, start, depth = [], 0, 0
    position = 0
    while position < len(region):
        char = region[position]
        depth += (char == "(") - (char == ")")
        separator = _SEPARATOR.match(region, position) if depth == 0 else None
        if separator and (char in always or _AGENCY.match(region, separator.end())):
            names.append(region[start:position])
            start = position = separator.end()
            continue
        position += 1
    names.append(region[start:])
    return [clean(name).strip(" ,;") for name in names if clean(name).strip(" ,;")]


# ---------------------------------------------------------------------------------------
# Problem groups

@dataclass
class _Group:
    heading: _Line
    area: _Line | None
    tokens: list[_Line]  # the lines after the heading, up to the next group or boundary


def read_problem_groups(lines: list[str], claimed: set[int]) -> Result:
    """Problem groups with "Vấn đề:", "Giải pháp:" and a deadline (corpus 004, app. 07)."""
    return _safely("read_problem_groups", _read_problems, lines, claimed)


def _read_problems(lines: list[str], claimed: set[int]) -> tuple[Result, set[int]]:
    tokens = _tokenise(lines, claimed, PROBLEM_LABELS)
    sections: dict[int, Section] = {}
    warnings: list[Warning] = []
    used: set[int] = set()
    for title_lines, group in _groups(tokens):
        record, span, group_warnings = _read_group(group)
        if record is None:
            continue
        key = title_lines[0].number if title_lines else 0
        if key not in sections:
            title = _join([token.text for token in title_lines])
            sections[key] = Section(title, SectionKind.PROBLEMS,
                                    title_lines[0].number if title_lines else record.line)
            used.update(token.number for token in title_lines)
        sections[key].records.append(record)
        warnings.extend(group_warnings)
        used.update(token.number for token in span)
        if group.area is not None:
            used.add(group.area.number)
    return (list(sections.values()), warnings), used


def _groups(tokens: list[_Line]) -> Iterator[tuple[list[_Line], _Group]]:
    """(section title lines, group) for each numbered or lettered part of a section."""
    title: list[_Line] = []
    area: _Line | None = None
    group: _Group | None = None
    for index, token in enumerate(tokens):
        starts_group = token.kind == LETTER or (
            token.kind == AREA and _labelled_part(tokens, index))
        if (token.kind in (SECTION, BARRIER) or starts_group) and group is not None:
            yield title, group
            group = None
        if token.kind == SECTION:
            title, area = _section_title(tokens, index), None
        elif token.kind == BARRIER:
            area = None
        elif token.kind == LETTER:
            area = token
            group = _Group(token, None, [])
        elif starts_group:
            group = _Group(token, area, [])
        elif group is not None:
            group.tokens.append(token)
    if group is not None:
        yield title, group


def _labelled_part(tokens: list[_Line], index: int) -> bool:
    """Whether a "Vấn đề:" or "Giải pháp:" label follows before the next heading."""
    for token in tokens[index + 1:]:
        if token.kind == LABEL and token.field in ("problem", "solution"):
            return True
        if token.kind in (SECTION, LETTER, BARRIER) or (
            token.kind == AREA and token.mark.isdigit()
        ):
            return False
    return False


def _section_title(tokens: list[_Line], index: int) -> list[_Line]:
    """ "PHỤ LỤC 07:" and the upper-case lines right below it."""
    title = [tokens[index]]
    for token in tokens[index + 1:]:
        if token.kind == NOISE:
            continue
        if token.kind not in (TEXT, SECTION) or not _upper_case(token.text):
            break
        title.append(token)
    return title


def _read_group(group: _Group) -> tuple[TaskRecord | None, list[_Line], list[Warning]]:
    """A group's record, the lines it used and its warnings; None when it has no labels."""
    heading, numbered = group.heading, group.heading.kind == AREA
    parts: dict[str, list[str]] = {"title": [heading.value] if numbered else [],
                                   "problem": [], "solution": [], "deadline": []}
    paragraphs: list[list[str]] = []  # the solution, for the agencies that begin them
    strays: list[list[_Line]] = []
    current = "title" if numbered else "problem"  # a letter heading's text describes it
    previous, gap, labelled, placed = heading, False, False, 0
    for index, token in enumerate(group.tokens, start=1):
        if token.kind == NOISE:
            gap = True
            continue
        placed = index
        if token.kind == LABEL:
            labelled = labelled or token.field in ("problem", "solution")
            current = token.field
            if token.value:
                parts[current].append(token.value)
                if current == "solution":
                    paragraphs.append([token.value])
        elif current == "stray" or (current == "deadline" and parts["deadline"] and (
            gap or previous.text.endswith(_TERMINAL)
        )):
            if current != "stray":  # a deadline does not go on into the next sentence
                current = "stray"
                strays.append([])
            strays[-1].append(token)
        elif current == "title" and (gap or previous.text.endswith(_PART_ENDS)):
            current = "problem"  # text under the title without "Vấn đề:" describes it
            parts[current].append(token.text)
        elif current == "solution":
            if paragraphs and not _new_paragraph(previous.text, token.text):
                paragraphs[-1].append(token.text)
            else:
                paragraphs.append([token.text])
            parts[current].append(token.text)
        else:
            parts[current].append(token.text)
        previous, gap = token, False
    if not labelled:
        return None, [], []
    span = [heading, *group.tokens[:placed]]
    record = _group_record(group, parts, paragraphs, span)
    warnings = [_warn_text(run, "text after the deadline, not read") for run in strays]
    warnings.extend(_group_missing(record, bool(parts["solution"])))
    return record, span, warnings


def _new_paragraph(previous: str, text: str) -> bool:
    """Whether a solution line starts a sentence (and so may name a lead agency)."""
    if _MARKER.match(text):
        return True
    if previous.endswith((".", ";", ":", "!", "?")):
        return True
    if text[:1].islower():
        return False
    # "… phối hợp với" / "Bộ Tài chính …" is one sentence cut by the line end.
    return not re.search(r"(?:,|\s(?:với|và|hoặc|của|cho|tại|theo|các|là|gồm))$", previous)


def _group_record(group: _Group, parts: dict[str, list[str]], paragraphs: list[list[str]],
                  span: list[_Line]) -> TaskRecord:
    heading = group.heading
    agencies = _Agencies()
    for paragraph in paragraphs:
        agencies.add(*agencies_in(_join(paragraph)))
    numbered = heading.kind == AREA
    return TaskRecord(
        title=_join(parts["title"]) if numbered else _heading_name(heading),
        line=heading.number,
        raw=_raw(span),
        number=f"{heading.mark}." if numbered else "",
        area=_heading_name(group.area or heading),
        leads="; ".join(agencies.leads),
        coordinators="; ".join(agencies.coordinators),
        expected_output=_join(parts["solution"]),
        deadline=_deadline_text(_join(parts["deadline"])),
        notes=_join(parts["problem"]),
    )


def _group_missing(record: TaskRecord, has_solution: bool) -> list[Warning]:
    title = _quote(record.title, 60)
    missing = []
    if not has_solution:
        missing.append(f"group without a solution: {title}")
    elif not record.leads:
        missing.append(f"no agency found at the start of a solution sentence: {title}")
    if not record.deadline:
        missing.append(f"group without deadline: {title}")
    return [Warning(record.line, message) for message in missing]
