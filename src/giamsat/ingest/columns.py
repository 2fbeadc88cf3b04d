"""What a table's columns mean, read from its header the way Vietnamese administrative
documents write it, and what kind of rows the table holds.

One vocabulary (`VOCABULARY`) maps each meaning to the many ways ministries and provinces
write its header: "Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan chủ trì thực hiện",
"Đơn vị thực hiện", "CQ chủ trì", "Chủ trì" all mean the lead agency. A header cell is
folded (no diacritics, lower case: "co quan chu tri"), abbreviations are spelled out
("CQ" → "cơ quan", "ĐV" → "đơn vị", "TG" → "thời gian"), numbering and brackets go
("(3)", "(ngày/tháng/năm)"), and a leading "Tên" is optional ("Tên nhiệm vụ" = "Nhiệm
vụ"). Then each cell is scored against every phrase: the whole cell equal to a phrase
beats a cell that starts with one, which beats a phrase found inside it; longer phrases
beat shorter ones ("kết quả dự kiến" before "kết quả"); a cell one letter off a phrase
still counts ("Thời hạn hòan thành"). Meanings are then given to columns best score
first, each meaning to one column (period columns excepted: "Đặt chỉ tiêu tháng 4",
"Tỷ lệ đạt được tháng 5" may repeat).

The kind of table comes from the meanings its header covers, with the heading above it:
- tasks: a title and something about who or when (leads, deadline, output, result …);
  the heading says whether they are done ("ĐÃ HOÀN THÀNH"), overdue ("QUÁ HẠN", "CHẬM
  TIẾN ĐỘ") or planned;
- per-agency values: an agency column and period columns (appendix 03);
- indicator results: an indicator per row with its target and/or result;
- problems: a problem or solution column with the agencies that act (appendix 07 as a
  table).
A table that is none of these is held (records.HeldTable) for a person to map.
"""

import difflib
import functools
import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from giamsat.lib.text import fold


class Meaning(StrEnum):
    NUMBER = "number"
    TITLE = "title"
    AREA = "area"
    DIRECTIVE = "directive"
    LEADS = "leads"
    COORDINATORS = "coordinators"
    EXPECTED_OUTPUT = "expected_output"
    DEADLINE = "deadline"
    STATUS = "status"  # a progress word: "Đã hoàn thành", "Đang thực hiện", "Chưa đạt"
    RESULT = "result"  # what was done, as text
    EVIDENCE = "evidence"
    OPEN_AGENCIES = "open_agencies"
    NOTES = "notes"
    PROBLEM = "problem"
    SOLUTION = "solution"
    INDICATOR = "indicator"
    UNIT = "unit"
    BASELINE = "baseline"
    TARGET = "target"
    VALUE = "value"
    AGENCY = "agency"  # the organisation a row of values is about
    PERIOD_TARGET = "period_target"  # "Đặt chỉ tiêu tháng 4": a registered target
    PERIOD_VALUE = "period_value"  # "Tỷ lệ đạt được tháng 4", "đến 09/7"
    IGNORE = "ignore"  # a column a person said to leave out


MEANING_LABELS = {
    Meaning.NUMBER: _("Row number (TT)"),
    Meaning.TITLE: _("Task (title, content)"),
    Meaning.AREA: _("Area"),
    Meaning.DIRECTIVE: _("Directive that gives the task"),
    Meaning.LEADS: _("Lead agency"),
    Meaning.COORDINATORS: _("Coordinating agencies"),
    Meaning.EXPECTED_OUTPUT: _("Expected output"),
    Meaning.DEADLINE: _("Deadline"),
    Meaning.STATUS: _("Progress, status"),
    Meaning.RESULT: _("Result"),
    Meaning.EVIDENCE: _("Evidence (documents issued)"),
    Meaning.OPEN_AGENCIES: _("Agencies that have not completed"),
    Meaning.NOTES: _("Notes"),
    Meaning.PROBLEM: _("Problem, difficulty"),
    Meaning.SOLUTION: _("Solution, proposal"),
    Meaning.INDICATOR: _("Indicator"),
    Meaning.UNIT: _("Unit"),
    Meaning.BASELINE: _("Baseline"),
    Meaning.TARGET: _("Target"),
    Meaning.VALUE: _("Value achieved"),
    Meaning.AGENCY: _("Agency the values are of"),
    Meaning.PERIOD_TARGET: _("Registered target of a month"),
    Meaning.PERIOD_VALUE: _("Value of a month"),
    Meaning.IGNORE: _("Leave this column out"),
}

# Meanings a person can give a column on the import page, in the order they are offered.
ASSIGNABLE = [m for m in Meaning if m not in (Meaning.PERIOD_TARGET, Meaning.PERIOD_VALUE)]
REPEATABLE = {Meaning.PERIOD_TARGET, Meaning.PERIOD_VALUE, Meaning.IGNORE, Meaning.NOTES}


class TableKind(StrEnum):
    TASKS = "tasks"
    COMPLETED = "completed"  # tasks listed as done
    OVERDUE = "overdue"  # tasks listed as late, with the agencies that have not done them
    AGENCY_VALUES = "agency_values"
    INDICATOR_RESULTS = "indicator_results"
    PROBLEMS = "problems"
    SKIP = "skip"  # a person said: not data


KIND_LABELS = {
    TableKind.TASKS: _("Tasks to do"),
    TableKind.COMPLETED: _("Tasks completed"),
    TableKind.OVERDUE: _("Tasks overdue, with the agencies that have not completed"),
    TableKind.AGENCY_VALUES: _("Values per agency and month"),
    TableKind.INDICATOR_RESULTS: _("Results per indicator (target, result)"),
    TableKind.PROBLEMS: _("Problems with their solutions"),
    TableKind.SKIP: _("Not data: leave the table out"),
}


# Folded phrases for each meaning. Written without diacritics (fold() of the header is
# compared), one phrase per way of writing it seen across ministries, provinces and years.
VOCABULARY: dict[Meaning, tuple[str, ...]] = {
    Meaning.NUMBER: ("tt", "stt", "so tt", "so thu tu", "thu tu", "no", "so"),
    Meaning.TITLE: (
        "nhiem vu", "ten nhiem vu", "nhiem vu cu the", "noi dung", "noi dung nhiem vu",
        "noi dung cong viec", "cong viec", "ten cong viec", "noi dung thuc hien",
        "nhiem vu giai phap", "nhiem vu nhiem vu", "hoat dong", "ten hoat dong",
        "nhiem vu trong tam", "ten de an", "de an", "ten de an nhiem vu",
        "ten nhiem vu de an", "ten van ban", "ten du an", "du an", "chuong trinh",
        "noi dung cong viec nhiem vu", "nhiem vu duoc giao", "noi dung giao",
        "cac nhiem vu", "ten", "nhiem vu de an", "danh muc nhiem vu", "viec can lam",
        "dau viec", "noi dung chi dao", "yeu cau", "nhiem vu chu yeu", "viec",
        "ten viec", "hang muc", "ten hang muc", "cong tac", "noi dung cong tac",
    ),
    Meaning.AREA: ("linh vuc", "nhom nhiem vu", "nhom", "truc", "tru cot", "linh vuc nhiem vu"),
    Meaning.DIRECTIVE: (
        "van ban giao", "van ban giao nhiem vu", "van ban chi dao", "can cu", "nguon",
        "nguon giao", "xuat xu", "van ban", "van ban giao viec", "theo van ban",
        "co so phap ly", "nguon nhiem vu", "van ban can cu",
    ),
    Meaning.LEADS: (
        "co quan chu tri", "don vi chu tri", "chu tri", "co quan chu tri thuc hien",
        "don vi chu tri thuc hien", "co quan thuc hien", "don vi thuc hien",
        "co quan duoc giao", "don vi duoc giao", "co quan chiu trach nhiem",
        "don vi chiu trach nhiem", "trach nhiem thuc hien", "co quan don vi chu tri",
        "don vi dau moi", "co quan dau moi", "co quan chu quan", "chu tri thuc hien",
        "co quan to chuc thuc hien", "co quan chu tri trien khai", "don vi trien khai",
        "co quan trien khai", "co quan", "don vi", "co quan chu tri tham muu",
        "co quan tham muu", "don vi tham muu", "phan cong", "ai lam", "co quan giao",
        "phu trach", "don vi phu trach", "co quan phu trach", "phan cong thuc hien",
    ),
    Meaning.COORDINATORS: (
        "co quan phoi hop", "don vi phoi hop", "phoi hop", "co quan phoi hop thuc hien",
        "don vi phoi hop thuc hien", "co quan don vi phoi hop", "co quan lien quan",
    ),
    Meaning.EXPECTED_OUTPUT: (
        "ket qua du kien", "san pham", "san pham du kien", "san pham dau ra",
        "ket qua dau ra", "hinh thuc van ban", "hinh thuc san pham", "du kien san pham",
        "yeu cau san pham", "ket qua can dat", "san pham ket qua", "hinh thuc",
        "ket qua san pham", "muc tieu yeu cau", "san pham chu yeu", "cap trinh",
        "cap ban hanh", "hinh thuc ket qua",
    ),
    Meaning.DEADLINE: (
        "thoi han", "thoi han hoan thanh", "thoi gian hoan thanh", "thoi gian thuc hien",
        "thoi gian", "han hoan thanh", "han", "thoi han trinh", "thoi gian trinh",
        "thoi diem hoan thanh", "moc thoi gian", "tien do hoan thanh", "thoi han thuc hien",
        "thoi han xu ly", "thoi gian ban hanh", "thoi han ban hanh", "khi nao",
        "thoi gian du kien", "thoi han giai quyet", "han chot",
    ),
    Meaning.STATUS: (
        "tinh trang", "trang thai", "tien do", "tien do thuc hien", "muc do hoan thanh",
        "danh gia", "tinh hinh thuc hien", "tinh hinh trien khai", "tien do trien khai",
        "danh gia tien do", "tinh trang thuc hien", "ket qua danh gia", "muc do",
        "danh gia ket qua", "tinh hinh",
    ),
    Meaning.RESULT: (
        "ket qua thuc hien", "ket qua", "ket qua trien khai", "ket qua dat duoc",
        "noi dung ket qua", "ket qua thuc hien nhiem vu", "ket qua den nay",
        "ket qua thuc hien den nay", "bao cao ket qua",
    ),
    Meaning.EVIDENCE: (
        "minh chung", "van ban minh chung", "tai lieu minh chung", "tai lieu kiem chung",
        "ho so minh chung", "mo ta", "san pham da ban hanh", "van ban da ban hanh",
        "so ky hieu van ban", "so hieu van ban", "kiem chung", "ket qua van ban",
        "mo ta ket qua",
    ),
    Meaning.OPEN_AGENCIES: (
        "don vi chua hoan thanh", "co quan chua hoan thanh", "chua hoan thanh",
        "cac co quan chua hoan thanh", "cac don vi chua hoan thanh", "don vi cham",
        "co quan cham", "con cham", "don vi con cham",
    ),
    Meaning.NOTES: ("ghi chu", "luu y", "ghi chu de xuat", "ghi chu khac", "chu thich"),
    Meaning.PROBLEM: (
        "van de", "ten van de", "thuc trang", "ton tai", "kho khan", "vuong mac",
        "kho khan vuong mac", "ton tai han che", "noi dung vuong mac", "diem nghen",
        "van de ton tai",
    ),
    Meaning.SOLUTION: (
        "giai phap", "giai phap de xuat", "giai phap thao go", "giai phap khac phuc",
        "de xuat", "kien nghi", "kien nghi de xuat", "de xuat giai phap",
        "phuong an xu ly", "huong xu ly",
    ),
    Meaning.INDICATOR: (
        "chi tieu", "ten chi tieu", "chi so", "ten chi so", "noi dung chi tieu",
        "chi tieu chi so", "cac chi tieu", "chi tieu danh gia", "tieu chi",
        "ten tieu chi", "noi dung tieu chi",
    ),
    Meaning.UNIT: ("don vi tinh", "dvt", "don vi do"),
    Meaning.BASELINE: ("nam goc", "gia tri goc", "so lieu nam truoc", "thuc hien nam truoc",
                       "co so"),
    Meaning.TARGET: (
        "muc tieu", "chi tieu giao", "chi tieu ke hoach", "ke hoach", "kh",
        "gia tri muc tieu", "muc tieu ke hoach", "chi tieu dat ra", "muc tieu dat ra",
        "chi tieu nam", "muc tieu nam", "muc tieu den nam", "dang ky chi tieu",
        "chi tieu dang ky", "muc tieu can dat", "muc tieu giao",
    ),
    Meaning.VALUE: (
        "ket qua dat duoc", "thuc hien", "gia tri", "so lieu", "ty le", "ti le",
        "uoc thuc hien", "th", "uoc dat", "ket qua thuc hien chi tieu", "dat duoc",
        "gia tri dat duoc", "so lieu thuc hien", "ty le dat",
    ),
    Meaning.AGENCY: (
        "ten bo nganh", "bo nganh", "ten bo", "bo", "tinh", "tinh tp", "tinh thanh pho",
        "ten tinh", "ten don vi", "don vi", "co quan", "ten co quan", "dia phuong",
        "ten dia phuong", "bo nganh dia phuong", "co quan don vi", "xa phuong", "ten xa",
    ),
}

# Abbreviations in headers, spelled out on folded words.
_ABBREVIATIONS = {
    "cq": "co quan", "dv": "don vi", "tg": "thoi gian", "nv": "nhiem vu", "kq": "ket qua",
    "ph": "phoi hop", "vb": "van ban", "sp": "san pham", "ubnd": "uy ban nhan dan",
    "tthc": "thu tuc hanh chinh", "chtr": "chu tri",
}
# "(1)", "(ngày/tháng/năm)", "(%)": notes in brackets say nothing about the meaning.
_BRACKETS = re.compile(r"\([^()]*\)")
_PUNCTUATION = re.compile(r"[^\w\s/]")
_YEAR = re.compile(r"\b(?:nam\s+)?(?:19|20|21)\d\d\b")

# Period columns, on the folded header: "đặt chỉ tiêu tháng 4", "tỷ lệ đạt được tháng 4",
# "kết quả tháng 5/2025", "tỷ lệ đạt được đến 09/7", "thực hiện quý II".
TARGET_COLUMN = re.compile(r"(?:dat|dang ky|giao) chi tieu (?:thang )?(\d{1,2})(?:/(\d{4}))?"
                           r"|(?:chi tieu|ke hoach|muc tieu) thang (\d{1,2})(?:/(\d{4}))?")
VALUE_COLUMN = re.compile(r"(?:ty le|ti le|ket qua|thuc hien|so lieu|gia tri)[^/]*?"
                          r"(?:thang (\d{1,2})(?:/(\d{4}))?"
                          r"|den (?:ngay )?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)")


def header_key(cell: str) -> str:
    """A header cell as the vocabulary writes it: folded, abbreviations spelled out, no
    numbering, brackets or punctuation."""
    key = fold(cell).replace("\n", " ")
    key = _BRACKETS.sub(" ", key)
    words = []
    for word in _PUNCTUATION.sub(" ", key).split():
        words.extend(_ABBREVIATIONS.get(word, word).replace("/", " ").split())
    return " ".join(words)


def signature(header: list[str]) -> str:
    """The identity of a header, the same however the table was laid out or spelled."""
    keys = "|".join(header_key(cell) for cell in header)
    return hashlib.sha256(keys.encode()).hexdigest()[:32]


_PHRASES = [(meaning, phrase) for meaning, phrases in VOCABULARY.items() for phrase in phrases]


def _score(key: str, phrase: str) -> float:
    """How well a header key says a phrase; 0 when it does not."""
    if not key:
        return 0.0
    length = len(phrase.split())
    if key == phrase:
        return 100 + length
    if key.startswith(phrase + " "):
        return 70 + length
    if f" {phrase} " in f" {key} " and len(phrase) > 3:
        return 50 + length
    if len(key) >= 6 and abs(len(key) - len(phrase)) <= 2:
        matcher = difflib.SequenceMatcher(None, key, phrase)
        ratio = matcher.ratio() if matcher.quick_ratio() >= 0.9 else 0.0
        if ratio >= 0.9:  # a typo or a dropped letter
            return 40 * ratio + length
    return 0.0


def _keys(key: str) -> list[str]:
    keys = [key]
    stripped = _YEAR.sub(" ", key).split()
    if stripped and stripped != key.split():
        keys.append(" ".join(stripped))  # "Chỉ tiêu năm 2025" → "chỉ tiêu"
    if key.startswith("ten "):
        keys.append(key[4:])
    return keys


def candidates(cell: str) -> list[tuple[float, Meaning]]:
    """(score, meaning) for a header cell, best first."""
    return _candidates(header_key(cell))


@functools.lru_cache(maxsize=4096)
def _candidates(cell_key: str) -> list[tuple[float, Meaning]]:
    best: dict[Meaning, float] = {}
    for index, key in enumerate(_keys(cell_key)):
        for meaning, phrase in _PHRASES:
            score = _score(key, phrase) - index * 0.5  # the cell as written wins a tie
            if score > best.get(meaning, 0):
                best[meaning] = score
    return sorted(((score, meaning) for meaning, score in best.items()), reverse=True)


@dataclass
class Columns:
    """Meanings given to a header's columns, and the periods of period columns."""

    meanings: dict[int, Meaning] = field(default_factory=dict)
    # Period columns: index → (year or None, month, day or None) as the header writes it.
    periods: dict[int, tuple[int | None, int, int | None]] = field(default_factory=dict)

    def index(self, meaning: Meaning) -> int | None:
        return next((i for i, m in self.meanings.items() if m == meaning), None)

    def has(self, *meanings: Meaning) -> bool:
        return any(m in self.meanings.values() for m in meanings)

    def roles(self) -> dict[str, int]:
        """Single-column meanings as {name: index}, for reading rows."""
        return {str(m): i for i, m in sorted(self.meanings.items())
                if m not in REPEATABLE or m == Meaning.NOTES}


def read_header(header: list[str]) -> Columns:
    """The meaning of each column a header makes clear (see the module doc)."""
    columns = Columns()
    scored = []
    for index, cell in enumerate(header):
        folded = " ".join(fold(cell).split())
        if match := TARGET_COLUMN.search(folded):
            month, year = (match[1], match[2]) if match[1] else (match[3], match[4])
            columns.meanings[index] = Meaning.PERIOD_TARGET
            columns.periods[index] = (int(year) if year else None, int(month), None)
            continue
        if match := VALUE_COLUMN.search(folded):
            if match[1]:
                columns.periods[index] = (int(match[2]) if match[2] else None, int(match[1]),
                                          None)
            else:
                columns.periods[index] = (int(match[5]) if match[5] else None, int(match[4]),
                                          int(match[3]))
            columns.meanings[index] = Meaning.PERIOD_VALUE
            continue
        scored.extend((score, -index, index, meaning) for score, meaning in candidates(cell))
    taken: set[Meaning] = set()
    for _score, _order, index, meaning in sorted(scored, reverse=True):
        if index in columns.meanings or (meaning in taken and meaning not in REPEATABLE):
            continue
        columns.meanings[index] = meaning
        taken.add(meaning)
    return columns


def given(meanings: dict[int, str], header: list[str]) -> Columns:
    """Columns as a person mapped them; period columns are still read from the header."""
    columns = read_header(header)
    chosen = Columns(periods={i: p for i, p in columns.periods.items()
                              if meanings.get(i) in (Meaning.PERIOD_TARGET,
                                                     Meaning.PERIOD_VALUE, None)})
    for index, meaning in meanings.items():
        if 0 <= index < len(header) and meaning in Meaning.__members__.values():
            chosen.meanings[index] = Meaning(meaning)
    return chosen


_TASK_FACTS = (Meaning.LEADS, Meaning.COORDINATORS, Meaning.DEADLINE, Meaning.EXPECTED_OUTPUT,
               Meaning.RESULT, Meaning.STATUS, Meaning.EVIDENCE, Meaning.OPEN_AGENCIES,
               Meaning.DIRECTIVE)
_OVERDUE_WORDS = ("qua han", "cham tien do", "cham so voi", "chua hoan thanh", "cham trien khai",
                  "tre han", "no dong")
_DONE_WORDS = ("da hoan thanh", "hoan thanh trong", "ket qua hoan thanh")
_INDICATOR_WORDS = ("chi tieu", "chi so", "tieu chi", "muc tieu")


def table_kind(columns: Columns, heading: str) -> TableKind | None:
    """What rows a table holds, from its columns and the heading above it; None: unknown."""
    meanings = set(columns.meanings.values())
    periods = Meaning.PERIOD_TARGET in meanings or Meaning.PERIOD_VALUE in meanings
    folded = fold(heading)
    if periods and meanings & {Meaning.AGENCY, Meaning.LEADS}:
        return TableKind.AGENCY_VALUES
    if Meaning.INDICATOR in meanings and meanings & {Meaning.TARGET, Meaning.VALUE,
                                                     Meaning.RESULT, Meaning.STATUS}:
        return TableKind.INDICATOR_RESULTS
    if (Meaning.PROBLEM in meanings or Meaning.SOLUTION in meanings) and meanings & {
            Meaning.LEADS, Meaning.DEADLINE, Meaning.SOLUTION}:
        return TableKind.PROBLEMS
    if Meaning.TITLE in meanings and meanings & {Meaning.TARGET, Meaning.VALUE} and (
            any(word in folded for word in _INDICATOR_WORDS)) and not meanings & {
            Meaning.LEADS, Meaning.DEADLINE}:
        return TableKind.INDICATOR_RESULTS  # "Nội dung | Chỉ tiêu | Kết quả" under "CHỈ TIÊU"
    if Meaning.TITLE in meanings and meanings & set(_TASK_FACTS):
        if Meaning.OPEN_AGENCIES in meanings or any(w in folded for w in _OVERDUE_WORDS):
            return TableKind.OVERDUE
        if any(word in folded for word in _DONE_WORDS):
            return TableKind.COMPLETED
        return TableKind.TASKS
    return None


# Tables a Word document uses for layout: the header block ("BỘ KHOA HỌC VÀ CÔNG NGHỆ |
# CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), the signature block ("Nơi nhận: | KT. BỘ
# TRƯỞNG"). They are not data, and a person need not be asked about them.
_LAYOUT = re.compile(r"cong hoa xa hoi chu nghia|doc lap - tu do|noi nhan|\(da ky\)|ky ten"
                     r"|\b(?:kt|tm|tl|ktl|q)\.\s*(?:bo truong|chu tich|giam doc|thu truong"
                     r"|chanh van phong|uy ban|ubnd|ban chi dao)")


def is_layout(header: list[str], rows: list[list[str]]) -> bool:
    cells = [c for row in [header, *rows] for c in row if c.strip()]
    if not cells:
        return True
    if len(rows) > 3:
        return False
    text = fold(" ".join(cells))
    return bool(_LAYOUT.search(text))
