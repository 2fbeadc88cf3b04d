"""What every prose reader needs: lines classified, blocks of joined lines, raw text,
headings, page-break noise, and running a reader so that one odd passage never stops an
import.

The reader protocol (prose/__init__.py): `read(lines, claimed, as_of=None) -> (sections,
warnings)`. `lines` are the document's lines as read (lines[0] is line 1; NFD, NBSP and
tabs left in); `claimed` holds the 1-based numbers of lines other readers used: a reader
never reads those, and adds every line it uses. A line starting with TAB is a table cell
and is never read here. Warnings are `records.Warning(line, message)` with a translated
message that quotes what was not read.
"""

import bisect
import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from giamsat.ingest.records import Section, Warning
from giamsat.lib.text import clean, fold, fold_aligned

logger = logging.getLogger(__name__)

Result = tuple[list[Section], list[Warning]]
Reader = Callable[[list[str], set[int], datetime.date | None], Result]

# "PHỤ LỤC 02:", "Phụ lục II", "PHỤ LỤC SỐ 3", "PHỤ LỤC": a heading that starts a new part of the
# document. Upper or title case only: a wrapped sentence may well go on with "phụ lục II
# Nghị quyết …".
_APPENDIX = re.compile(r"^\s*(?:PHỤ LỤC|Phụ lục)\s+(?:(?:SỐ|số)\s+)?(?:\d+|[IVXLC]+)\b"
                       r"|^\s*(?:PHỤ LỤC|Phụ lục)\s*:?\s*$")  # "PHỤ LỤC" alone on its line
# What a page break leaves between two lines: "12", "- 12 -", "Trang 12", "12/30".
_PAGE_NUMBER = re.compile(r"(?:-\s*)?(?:(?:trang|page)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?",
                          re.IGNORECASE)


def is_appendix_heading(text: str) -> bool:
    return bool(_APPENDIX.match(clean(text)))


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(clean(text)))


def raw_lines(lines: list[str], numbers: list[int]) -> str:
    """The document's own lines, as read, for the raw text of a record."""
    return "\n".join(lines[n - 1] for n in numbers)


def quote(text: str, size: int = 80) -> str:
    return "“" + (text if len(text) <= size else text[: size - 1] + "…") + "”"


def inputs(lines: object, claimed: object) -> tuple[list[str], set[int]]:
    """The lines as strings, and the caller's claimed set (a new one if it gave none)."""
    lines = [line if isinstance(line, str) else "" for line in (lines or [])]
    return lines, claimed if isinstance(claimed, set) else set()


def run_safely(name: str, read: Callable[[], object], line: int, warnings: list[Warning]):
    """Run one reader (or one passage of it); a failure becomes a warning and is logged
    with its traceback, so that an import never stops on a passage it cannot read."""
    try:
        return read()
    except Exception as error:  # an importer reports what it could not read, never crashes
        logger.exception("%s failed at line %s", name, line)
        warnings.append(Warning(line, _("This passage could not be read (%(reader)s: "
                                        "%(error)s); nothing of it was imported.")
                                % {"reader": name, "error": type(error).__name__}))
        return None


def read_claiming(name: str, read, lines: list[str], claimed: set[int]) -> Result:
    """Run a reader that returns what it read and the lines it used; claim those lines
    only when it succeeded, so that a failing reader leaves them to the others."""
    lines, claimed = inputs(lines, claimed)
    warnings: list[Warning] = []
    outcome = run_safely(name, lambda: read(lines, set(claimed)), 0, warnings)
    if outcome is None:
        return [], warnings
    (sections, found), used = outcome
    claimed.update(used)
    return sections, found


def join_wrapped(pieces: list[str]) -> str:
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


def deadline_text(text: str) -> str:
    """The deadline as written, without the sentence's full stop or the end mark "./."."""
    return re.sub(r"[\s.,;:/]+$", "", clean(text))


def names_text(text: str) -> str:
    """Agency names as written, without the sentence's full stop: "Bộ Nội vụ." → "Bộ Nội vụ"."""
    return clean(text).rstrip(" .;,")


def upper_case(text: str) -> bool:
    """A title line ("BÁO CÁO TỔNG HỢP …"), not a sentence."""
    return any(char.isalpha() for char in text) and text == text.upper()


# --- Lines: each line of a list classified --------------------------------------------

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
class Line:
    number: int  # 1-based
    raw: str
    text: str  # clean()ed
    kind: str
    value: str = ""  # the text after the bullet, label, number or letter
    field: str = ""  # a label's field
    bullet: str = ""  # the "+" or "-" before a label
    mark: str = ""  # the number or letter of a heading


def labels(fields: dict[str, str]) -> re.Pattern[str]:
    """A label at the start of a folded line, with an optional bullet, then ":"."""
    names = "|".join(f"(?P<{name}>{pattern})" for name, pattern in fields.items())
    return re.compile(rf"^(?P<bullet>[-+*•])?\s*(?:{names})\s*:")


_NOISE = re.compile(r"^(?:\d{1,3}|-\s*\d{1,3}\s*-|trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?|du thao)$")
_ROMAN = re.compile(r"^(?P<mark>[IVXLC]+)\s*[.)]\s+(?P<value>\S.*)$")
_LETTER = re.compile(r"^(?P<mark>[A-ZĐ])\s*\.\s+(?P<value>\S.*)$")
_NUMBERED = re.compile(r"^(?:(?P<mark>\d{1,2})\s*\.|\((?P<paren>\d{1,2})\))\s+(?P<value>\S.*)$")
_SUB = re.compile(r"^(?P<mark>[a-zđ])\)\s+(?P<value>\S.*)$")
_DASH = re.compile(r"^[-•](?:\s+|(?=[^\s\d-]))(?P<value>\S.*)$")
_PLUS = re.compile(r"^\+\s*(?P<value>\S.*)$")
_HEADING_LENGTH = 160  # longer "headings" are paragraphs that start with a number
TERMINAL = (".", "!", "?")
PART_ENDS = (".", ":", "!", "?")  # a heading may follow a line that ends so


def tokenise(lines: list[str], claimed: set[int], label_pattern: re.Pattern[str]) -> list[Line]:
    tokens: list[Line] = []
    previous: Line | None = None  # the last line with content, None after a barrier
    for number, raw in enumerate(lines, start=1):
        raw = raw if isinstance(raw, str) else ""
        token = _classify(number, raw, number in claimed, label_pattern, previous)
        tokens.append(token)
        if token.kind == BARRIER:
            previous = None
        elif token.kind != NOISE:
            previous = token
    return tokens


def _classify(number: int, raw: str, taken: bool, label_pattern: re.Pattern[str],
              previous: Line | None) -> Line:
    if taken or raw.startswith("\t"):
        return Line(number, raw, "", BARRIER)
    text = clean(raw)
    line = Line(number, raw, text, TEXT, value=text)
    if not text or _NOISE.match(fold(text)):
        line.kind = NOISE
    elif is_appendix_heading(text):
        line.kind = SECTION
    elif match := label_pattern.match(fold_aligned(text)):
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


def _may_start_part(previous: Line | None) -> bool:
    # A wrapped sentence may go on with "(10) Đẩy mạnh …" (001, line 992): a heading
    # only follows a finished line. A line that is one parenthesis is finished: the
    # "(Kèm theo Báo cáo số … của …)" under an appendix's title, with "A. …" or "1. …"
    # right below it when no opening sentence comes between.
    if previous is None or previous.kind in HEADINGS or previous.kind == LABEL:
        return True
    return previous.text.endswith(PART_ENDS) or upper_case(previous.text) or \
        whole_parenthesis(previous.text)


def whole_parenthesis(text: str) -> bool:
    """ "(Kèm theo Quyết định số 749/QĐ-TTg …)": the line's first "(" closes at its end."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index == len(text) - 1
    return False


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


def heading_shape(text: str) -> tuple[str, str, str] | None:
    """(kind, mark, value) when text is written as a heading, wherever it stands."""
    return _heading(text)


def continues(previous: str, gap: bool) -> bool:
    """Whether a text line goes on from the previous one (not a new paragraph).

    Right below it, always; across page-break noise, only a sentence left unfinished.
    """
    return not gap or not previous.endswith(TERMINAL)


def tokens_raw(tokens: list[Line]) -> str:
    return "\n".join(token.raw for token in tokens)


def heading_name(token: Line) -> str:
    """An area as written, without its number and final punctuation: "Xã hội số"."""
    return clean(token.value).rstrip(" .:")


def warn_text(tokens: list[Line], what: str) -> Warning:
    """A warning for lines not read: `what` (translated) and the text quoted."""
    return Warning(tokens[0].number, _("%(what)s: %(text)s")
                   % {"what": what, "text": quote(join_wrapped([t.text for t in tokens]))})


# --- Blocks: lines joined into bullets, headings, paragraphs, footnotes -------------------

BULLET = re.compile(r"^[-+•*]\s+")
_BLOCK_HEADING = re.compile(r"^(?:[IVXLC]+\.|\d{1,2}\.|[a-zđ]\)|\(\d{1,2}\))\s")
# A footnote at the foot of a PDF page: its number, a space, its text ("1 Các cơ quan …").
_FOOTNOTE = re.compile(r"^\d{1,2}\s+\S")
# PDF export writes the footnote rule as a line of spaces; the page's text resumes on a
# line that starts with a space. A footnote run longer than this is not a footnote.
_RULE_WIDTH = 10
_MAX_FOOTNOTE_LINES = 30
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
# No paragraph of a report is this long; a longer run of lines without a blank line is
# cut into blocks of this many lines, so that reading stays linear in the input.
MAX_BLOCK_LINES = 200


@dataclass
class Block:
    """Lines joined with single spaces; positions in `text` map back to line numbers."""

    numbers: list[int] = field(default_factory=list)  # 1-based line numbers
    offsets: list[int] = field(default_factory=list)  # where each line starts in text
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _text: str | None = None

    def add(self, number: int, text: str) -> None:
        if self._parts:
            self._length += 1  # the space that joins it
        self.numbers.append(number)
        self.offsets.append(self._length)
        self._parts.append(text)
        self._length += len(text)
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:  # joined once, not once per line (1,000,000 lines happen)
            self._text = " ".join(self._parts)
        return self._text

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
            and not BULLET.match(text))


def _is_caps_line(text: str) -> bool:
    """"BÁO CÁO", "DỰ THẢO": a title or a watermark; it stands alone."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(text.split()) <= 12


@dataclass
class _BlockBuilder:
    blocks: list[Block] = field(default_factory=list)
    current: Block | None = None
    footnote: Block | None = None
    in_footnotes: int = 0  # lines read since the footnote rule; 0 = not in footnotes
    blanks: int = 0

    def close(self) -> None:
        self.current = self.footnote = None
        self.in_footnotes = self.blanks = 0

    def start(self, number: int, text: str) -> None:
        self.current = Block()
        self.blocks.append(self.current)
        self.current.add(number, text)

    def footnote_line(self, number: int, text: str) -> None:
        if self.footnote is None or _FOOTNOTE.match(text):
            self.footnote = Block()
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
                or BULLET.match(text) or _BLOCK_HEADING.match(text)
                or len(self.current.numbers) >= MAX_BLOCK_LINES):
            self.start(number, text)
        else:
            self.current.add(number, text)
        self.blanks = 0
        if standalone:
            self.current = None


def text_blocks(lines: list[str], claimed: set[int]) -> list[Block]:
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
        elif in_cell and text and not is_appendix_heading(text):
            continue
        else:
            in_cell = False
        if in_cell or number in claimed:
            builder.close()
            continue
        if not text or (_BARE_NUMBER.match(text) and builder.blanks >= 2):
            if not text and len(raw.rstrip("\r\n")) >= _RULE_WIDTH:
                builder.in_footnotes, builder.footnote = 1, None
            elif not builder.in_footnotes:
                builder.blanks += 1
            continue
        builder.text_line(number, raw, text)
    return builder.blocks


_SENTENCE_BREAK = re.compile(r"[.;]\s+")


def sentence_starts(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where sentences start between start and end: at `start` and after ". " or "; "
    before a capital letter. "TP. Hồ Chí Minh" is not a sentence end.
    """
    starts = [start]
    for match in _SENTENCE_BREAK.finditer(text, start, len(text) if end is None else end):
        following = text[match.end():match.end() + 1]
        if not following.isupper():
            continue
        if text[max(match.start() - 2, 0):match.start()] in ("TP", "Tp"):
            continue
        starts.append(match.end())
    return starts
