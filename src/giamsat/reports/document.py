"""The report model: what a report says, before it is written as DOCX, XLSX or PDF.

Builders (builders.py) fill it from the data; renderers (docx.py, xlsx.py, pdf.py) only
lay it out. `figures` keeps the numbers the text quotes, so that a test can compare them
with the dashboard and the API for the same date.
"""

import datetime
from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # body | heading1 | heading2 | bullet | note
    bold: bool = False
    italic: bool = False


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # centimetres, one per column
    # Rows that head a group ("I. Thể chế", "Tháng 7/2025") and span the table.
    group_rows: set[int] = field(default_factory=set)
    title: str = ""
    sheet: str = ""  # the XLSX sheet name, when the table gets a sheet of its own

    @property
    def data_rows(self) -> list[list[str]]:
        return [row for i, row in enumerate(self.rows) if i not in self.group_rows]


@dataclass
class Chart:
    png: bytes
    caption: str
    width_cm: float = 15.5


Block = Paragraph | Table | Chart


@dataclass
class Appendix:
    number: str  # "01"
    title: str  # uppercase in the document
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = True

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Report:
    kind: str  # "monthly" | "half_year"
    title: str  # the line under "BÁO CÁO"
    issuer: str  # "BỘ KHOA HỌC VÀ CÔNG NGHỆ"
    issuer_short: str  # for "Số: …/BC-BKHCN"
    parent: str = ""  # the body above the issuer, if any
    place: str = "Hà Nội"
    date: datetime.date | None = None
    number: str = ""  # left blank for the clerk unless given
    blocks: list[Block] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive: str = "Lưu: VT."
    signer_title: list[str] = field(default_factory=lambda: ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"])
    signer_name: str = ""
    figures: dict = field(default_factory=dict)

    @property
    def number_line(self) -> str:
        return f"Số: {self.number or '      '}/BC-{self.issuer_short}"

    def appendix(self, number: str) -> Appendix:
        return next(a for a in self.appendices if a.number == number)
