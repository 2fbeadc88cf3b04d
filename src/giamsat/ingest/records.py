"""What reading a document yields, before anything touches the database.

Parsing is separate from writing (DESIGN.md): readers turn a document's text into these
plain records, each with the line it starts on and the raw text it was read from; the
writer (write.py) turns records into domain objects inside one transaction.

Names of organisations, directives, deadlines and indicators are kept *as written* here.
Resolving them (on the document's date) is the writer's job, so that a record can always
be shown to a person exactly as the document said it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class TaskState(StrEnum):
    """What the heading above a task says about it (appendix titles and the like)."""

    PLANNED = "planned"  # a plan or a list of tasks to do
    COMPLETED = "completed"  # "DANH MỤC NHIỆM VỤ ĐÃ HOÀN THÀNH"
    OVERDUE = "overdue"  # "DANH MỤC NHIỆM VỤ QUÁ HẠN": see TaskRecord.open_agencies


class Progress(StrEnum):
    """How far a row of a results table says its task is, in its own words."""

    COMPLETED = "completed"  # "Đã hoàn thành", "Đã ban hành Quyết định …"
    IN_PROGRESS = "in_progress"  # "Đang triển khai", "Đang thực hiện, đạt 75%"
    NOT_STARTED = "not_started"  # "Chưa triển khai", "Chưa thực hiện"
    UNKNOWN = "unknown"  # words that say none of these: kept as written


@dataclass
class TaskRecord:
    title: str
    line: int  # 1-based line where the task starts
    raw: str  # the text it was read from, as in the document
    state: TaskState = TaskState.PLANNED
    number: str = ""  # as written: "1.", "12", "" for an unnumbered row
    area: str = ""  # "Về thể chế", "Thể chế số", "Về Thủ tục hành chính"
    period: str = ""  # a section heading that gives a period: "Nhiệm vụ tháng 7/2025"
    directive: str = ""  # as written: "Nghị quyết số 71/NQ-CP"
    leads: str = ""  # lead agencies as written: "Bộ KH&CN, Bộ Công an"
    coordinators: str = ""
    expected_output: str = ""
    deadline: str = ""  # as written: "Tháng 6/2025", "Thường xuyên"
    result: str = ""  # "Đã hoàn thành", or the result text of a bullet task
    evidence: str = ""  # "Quyết định số 1169/QĐ-TTg ngày 16/6/2025 …"
    open_agencies: str = ""  # "Đơn vị chưa hoàn thành" of an overdue row
    notes: str = ""  # "Ghi chú", "Lưu ý", a problem's description
    # Each agency's own action when a solution gives them out: [(agencies as written,
    # the sentence)], "Bộ Tài chính ban hành …; Bộ Công an …" (problem groups).
    actions: list[tuple[str, str]] = field(default_factory=list)
    progress: str = ""  # a Progress value when the row reports one, else ""


class ValueKind(StrEnum):
    ACTUAL = "actual"  # an achieved value (Observation)
    TARGET = "target"  # a registered monthly target (Target, registered by the agency)


@dataclass
class ValueRecord:
    """One number for one indicator, one organisation and one month."""

    indicator: str  # a catalogue code, or the name as written when unknown
    organisation: str  # as written; "" means the country as a whole
    period: datetime.date  # first day of the month (or quarter, year)
    value: Decimal
    line: int
    raw: str
    kind: ValueKind = ValueKind.ACTUAL
    observed_on: datetime.date | None = None  # a partial period: "đến 09/7" → 9 July
    # Names are resolved on this day (63 provinces in June, 34 after 01/07/2025).
    resolve_on: datetime.date | None = None
    note: str = ""  # what the document says beside the number: "Đạt", "ước đạt", a remark
    numerator: Decimal | None = None  # "85% (120/141 hồ sơ)": 120
    denominator: Decimal | None = None  # … and 141
    lead: str = ""  # the agency that leads the indicator, as written (results tables)
    # A value the document states of itself ("the province's results"): of its issuer,
    # or of the country when the standing office wrote it (writer decides).
    of_issuer: bool = False


@dataclass
class TargetRecord:
    """A target a directive sets: "tối thiểu 50%, phấn đấu đạt 70%" by the end of 2025."""

    indicator: str  # a catalogue code, or the name as written when unknown
    period_end: datetime.date
    line: int
    raw: str
    organisation: str = ""  # "" = national; "khối bộ" / "khối địa phương" as written
    minimum: Decimal | None = None
    aspiration: Decimal | None = None
    unit: str = ""  # "percent", "count", … as Unit in indicators.models
    lead: str = ""  # the agency that leads the indicator, as written (results tables)
    # A value the document states of itself ("the province's results"): of its issuer,
    # or of the country when the standing office wrote it (writer decides).
    of_issuer: bool = False


@dataclass
class AgencyListRecord:
    """A document naming agencies that have not done something."""

    statement: str  # what they have not done: "chưa đăng ký chỉ tiêu …"
    agencies: list[str]  # names as written
    line: int
    raw: str


@dataclass
class IndicatorProposal:
    """An indicator the text states a value for that the catalogue does not know."""

    name: str
    line: int
    raw: str
    unit: str = ""


@dataclass
class ConcernRecord:
    """A difficulty an agency's report raises, or a proposal it makes (prose/concerns.py)."""

    kind: str  # "difficulty", "proposal"; "unread": an item of the plan read as nothing
    text: str
    line: int
    raw: str
    agency: str = ""  # the agency a proposal asks to act, as written: "Bộ Tài chính"
    heading: str = ""  # the part it is in: "II. KHÓ KHĂN, VƯỚNG MẮC"
    message: str = ""  # "unread": why, for the warning the writer gives


Record = (TaskRecord | ValueRecord | TargetRecord | AgencyListRecord | IndicatorProposal
          | ConcernRecord)


class SectionKind(StrEnum):
    TASK_TABLE = "task_table"
    COMPLETED_TASKS = "completed_tasks"
    OVERDUE_TASKS = "overdue_tasks"
    INDICATOR_TABLE = "indicator_table"  # per-agency values by month (appendix 03)
    INDICATOR_RESULTS = "indicator_results"  # an indicator per row: target, result
    BULLET_TASKS = "bullet_tasks"
    PROBLEMS = "problems"  # appendix 07: problem groups with solutions and deadlines
    TARGETS = "targets"
    INDICATOR_STATEMENTS = "indicator_statements"
    AGENCY_LISTS = "agency_lists"
    # An agency's own report: its difficulties and proposals, its tasks for next month.
    AGENCY_CONCERNS = "agency_concerns"
    AGENCY_PLAN = "agency_plan"


@dataclass
class Section:
    title: str
    kind: SectionKind
    line: int
    records: list[Record] = field(default_factory=list)


@dataclass
class Warning:
    line: int
    message: str


@dataclass
class HeldRow:
    line: int
    cells: list[str]  # raw, as read


@dataclass
class HeldTable:
    """A table no reader understood, kept whole until a person says what its columns mean.

    Nothing of it is written; the import writes the rest of the document and names it.
    `signature` identifies its header, so that a mapping given once applies to every
    table with the same header, in this document and the next ones.
    """

    line: int  # where its header starts
    header: list[str]  # raw header cells
    rows: list[HeldRow]
    title: str  # the text above it (appendix title, heading)
    reason: str  # why it was held, for a person
    signature: str
    guess: dict[int, str] = field(default_factory=dict)  # column → meaning, where known


@dataclass
class ParsedDocument:
    path: str
    text: str  # the whole text read (DOCX and XLSX: as rendered by sources.py)
    as_of: datetime.date | None = None  # "(Kèm theo Báo cáo ngày 18 tháng 7 năm 2025 …)"
    issuer: str = ""  # who wrote it, as written: "Ủy ban nhân dân tỉnh Bắc Ninh"
    # The names to resolve the issuer by, the most particular first: "Cục …", its ministry.
    issuer_names: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    # Tables no reader understood, kept for a person to map (nothing of them is written).
    held_tables: list[HeldTable] = field(default_factory=list)
    # Tables read with a person's mapping: (line, header signature, kind).
    mapped_tables: list[tuple[int, str, str]] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Warning(line, message))

    def records(self, kind: type | None = None) -> list:
        found = [r for s in self.sections for r in s.records]
        return found if kind is None else [r for r in found if isinstance(r, kind)]
