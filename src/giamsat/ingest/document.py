"""Read one document's text into records: `parse_document(path, text)`.

The document is read by several readers, each for one structure, in this order: tables
(one cell per line, or one row per line; their columns by meaning, columns.py, and read by
table_records.py, or held for a person when they cannot be understood), then the prose
readers (prose/: problem groups, bullet task lists, proposals, targets, indicator
statements, lists of agencies). Each reader claims the lines it used, so
that a later one does not read them again. Headings give meaning to what is under them:

- an appendix title says what its rows are: "DANH MỤC NHIỆM VỤ QUÁ HẠN …" → overdue,
  "… ĐÃ HOÀN THÀNH …" → completed; "… THEO THÔNG BÁO SỐ 05-TB/BCĐTW NGÀY 04/7/2025" → the
  directive of its tasks;
- "a) Nhiệm vụ tháng 7/2025:" → the period; group rows "I  Về thể chế" → the area;
- "(Kèm theo Báo cáo ngày 18 tháng 7 năm 2025 …)" → the document's date.
"""

import datetime
import re
from dataclasses import dataclass, field

from giamsat.ingest import prose
from giamsat.ingest.prose.concerns import read_concerns
from giamsat.ingest.prose.statements import report_period
from giamsat.ingest.records import ConcernRecord, ParsedDocument, TaskRecord
from giamsat.ingest.references import find_references
from giamsat.ingest.table_records import Mapping, read_table
from giamsat.ingest.tables import read_tables
from giamsat.lib.months import month_end
from giamsat.lib.text import clean, fold

# Dates that say when the document was written, most reliable first.
_DATED = [
    re.compile(r"kem theo (?:bao cao|van ban|cong van|ke hoach|quyet dinh)[^()]*?"
               r"ngay (\d{1,2})(?: thang |/)(\d{1,2})(?: nam |/)(\d{4})"),
    re.compile(r"(?:ha noi|tp\.? ho chi minh|[a-z ]{2,30}), ngay (\d{1,2}) thang (\d{1,2})"
               r" nam (\d{4})"),
]


def parse_document(path: str, text: str, as_of: datetime.date | None = None,
                   mappings: dict[str, Mapping] | None = None) -> ParsedDocument:
    """Every record in text; `as_of` overrides the date found in the document, `mappings`
    (by header signature) say what the columns of tables with those headers mean."""
    doc = ParsedDocument(path=path, text=text)
    lines = text.splitlines()
    doc.as_of = as_of or document_date(lines)
    issuer = find_issuer(lines)
    doc.issuer, doc.issuer_names = issuer.name, issuer.names
    claimed: set[int] = set()
    for table in read_tables(text):
        read_table(doc, table, lines, claimed, mappings or {})
    for reader in prose.READERS:
        _add(doc, *reader(lines, claimed, doc.as_of))
    if not doc.sections:
        _add(doc, *prose.FALLBACK(lines, claimed, doc.as_of))
    # Last, and after the fallback, which is for documents nothing else was found in. A
    # proposal read as a task of the agency it names (with its deadline) is that task.
    tasks = {record.line for record in doc.records(TaskRecord)}
    concerns, warnings = read_concerns(lines, claimed, doc.as_of)
    for section in concerns:
        section.records = [r for r in section.records
                           if not (isinstance(r, ConcernRecord) and r.line in tasks)]
    _add(doc, concerns, warnings)
    doc.sections.sort(key=lambda s: s.line)
    doc.warnings.sort(key=lambda w: w.line)
    return doc


def _add(doc: ParsedDocument, sections, warnings) -> None:
    doc.sections.extend(s for s in sections if s.records)
    doc.warnings.extend(warnings)


def document_date(lines: list[str]) -> datetime.date | None:
    """The day the document speaks of: its own date, else its month's end, else the date
    of the latest document it cites (it was written after them). Dates in the text at
    large are no guide: deadlines lie in the future."""
    # Not in a table's cells: "Quyết định số 12/QĐ-BYT, ngày 20 tháng 6 năm 2025" there is a
    # product's date, not the document's.
    folded = [fold(line) for line in lines if not line.startswith("\t")]
    # Of the appendix titles the latest: a workbook of a sheet per month ("Kèm theo Báo cáo
    # … ngày 20/10/2025", "… ngày 20/11/2025") was sent with the last.
    annexed = [day for line in folded for match in _DATED[0].finditer(line)
               if (day := _date(*match.groups()))]
    if annexed:
        return max(annexed)
    for pattern in _DATED[1:]:
        for line in folded:
            match = pattern.search(line)
            if match and (day := _date(*match.groups())):
                return day
    period = report_period(lines)
    if period:
        return month_end(period)
    cited = [r.date for r in find_references("\n".join(lines)) if r.date]
    return max(cited, default=None)


# "(Kèm theo Báo cáo ngày 18 tháng 7 năm 2025 của Bộ Khoa học và Công nghệ)"
_ANNEXED_BY = re.compile(r"\(\s*kèm theo [^()]*?\bcủa\s+([^()]+?)\s*\)", re.IGNORECASE)
# The header block: "ỦY BAN NHÂN DÂN" / "TỈNH BẮC NINH", "BỘ TƯ PHÁP", "UBND THÀNH PHỐ HÀ NỘI",
# "BỘ Y TẾ" / "CỤC …" (a unit under its parent), "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH …" (in PDF
# text often beside "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line).
_ISSUER_START = re.compile(r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|BỘ|VĂN PHÒNG|BAN|"
                           r"NGÂN HÀNG|THANH TRA|ỦY BAN|UỶ BAN|SỞ|KIỂM TOÁN|ĐÀI|THÔNG TẤN)\b")
_ISSUER_MORE = re.compile(r"^(?:TỈNH|THÀNH PHỐ|TP\.?)\s+\S")
# A unit under the parent named above it: "BỘ Y TẾ" / "CỤC CÔNG NGHỆ THÔNG TIN",
# "UBND TỈNH NINH BÌNH" / "SỞ KHOA HỌC VÀ CÔNG NGHỆ".
_ISSUER_UNIT = re.compile(r"^(?:CỤC|VỤ|SỞ|VĂN PHÒNG|TRUNG TÂM|BAN|VIỆN|TỔNG CỤC|BỘ TƯ LỆNH)\s+\S")
# "SỞ … TỈNH NINH BÌNH": the province a unit's name ends with.
_OF_PROVINCE = re.compile(r"\s((?:TỈNH|THÀNH PHỐ|TP\.?)\s+\S.*)$")
_HEADER_END = re.compile(r"\s*(?:CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP|Số\s*:).*$")
_RULE = re.compile(r"^[\s_\-–—=*.]*$")  # the short rule under the header: "_______"
_HEADER_LINES = 15
# Who reports, in the text: "…, UBND tỉnh Ninh Bình báo cáo kết quả … như sau:", "Bộ Y tế
# trân trọng báo cáo./.", "Trên đây là báo cáo … của UBND tỉnh Ninh Bình".
_AGENCY = (r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Bộ|Sở|Văn phòng|Ngân hàng|Thanh tra|"
           r"Ban|Cục|Kiểm toán|Đài|Thông tấn xã)\s[^,;:.()“”\"]{2,80}?")
_REPORTS = re.compile(rf"(?:^|[,;:.]\s+)(?P<name>{_AGENCY})\s+(?:xin\s+|kính\s+|trân trọng\s+)?"
                      r"báo cáo\b")
_SIGNS_OFF = re.compile(rf"(?:^|[,;:.]?\s)(?P<name>{_AGENCY})\s+(?:xin|kính|trân trọng)\s+"
                        r"báo cáo\b")
_THAT_WAS = re.compile(rf"Trên đây là báo cáo\b[^.()]*?\bcủa\s+(?P<name>{_AGENCY})\s*"
                       r"(?:[,;.(]|$|về\b|\s(?:gửi|kính|xin|trân|đề nghị)\b)")
_OPENING_LINES = 40


@dataclass
class Issuer:
    """Who wrote a document: the name as written, and the names to resolve it by, the
    most particular first ("Cục …" then its ministry; "Sở … tỉnh X" then the province)."""

    name: str = ""
    names: list[str] = field(default_factory=list)


def document_issuer(lines: list[str]) -> str:
    """Who wrote the document, as written ("" when nothing says): see `find_issuer`."""
    return find_issuer(lines).name


def find_issuer(lines: list[str]) -> Issuer:
    """Who wrote the document: its header block, else the body an appendix says it is
    attached to ("Kèm theo Báo cáo số … của …"), else the agency the text says reports
    ("…, UBND tỉnh Ninh Bình báo cáo … như sau:", "… trân trọng báo cáo./.", "Trên đây là
    báo cáo … của …")."""
    header = _header_issuer(lines)
    if header.name:
        return header
    text = " ".join(clean(line) for line in lines if not line.startswith("\t"))
    opening = " ".join(clean(line) for line in lines[:_OPENING_LINES]
                       if not line.startswith("\t"))
    for pattern, where in ((_ANNEXED_BY, text), (_REPORTS, opening), (_SIGNS_OFF, text),
                           (_THAT_WAS, text)):
        match = pattern.search(where)
        if match:
            name = clean(match[1])
            return Issuer(name, _with_parent(name))
    return Issuer()


def _header_issuer(lines: list[str]) -> Issuer:
    top = [clean(_HEADER_END.sub("", clean(line))) for line in lines[:_HEADER_LINES]
           if not line.startswith("\t")]
    top = [line for line in top if line and not _RULE.match(line)]
    for index, line in enumerate(top):
        if not (line == line.upper() and _ISSUER_START.match(line)):
            continue
        following = top[index + 1] if index + 1 < len(top) else ""
        if following != following.upper():
            following = ""
        if _ISSUER_MORE.match(following):
            line = f"{line} {following}"  # "ỦY BAN NHÂN DÂN" / "TỈNH NINH BÌNH"
            following = top[index + 2] if index + 2 < len(top) else ""
            following = following if following == following.upper() else ""
        if _ISSUER_UNIT.match(following) and not following.startswith("SỐ"):
            unit = following  # "BỘ Y TẾ" / "CỤC CÔNG NGHỆ THÔNG TIN"
            return Issuer(f"{unit}, {line}", [unit, *_with_parent(line)])
        return Issuer(line, _with_parent(line))
    return Issuer()


def _with_parent(name: str) -> list[str]:
    """The name, then the province its unit's name ends with: "SỞ KHOA HỌC VÀ CÔNG NGHỆ
    TỈNH NINH BÌNH" → also "TỈNH NINH BÌNH"."""
    names = [name]
    if not re.match(r"(?i)^(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\b", name):
        match = _OF_PROVINCE.search(name.upper())
        if match:
            names.append(name[match.start(1):])
    return names


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
