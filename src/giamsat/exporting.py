"""Exports and open data: every list as CSV, JSON or XLSX, and a bundle a portal can publish.

One registry (ENTITIES) serves `giamsat export`, the download links of the pages and
/api/export/…; rows come from the apps' export functions, which use the same status
rules as the pages. Only approved information is exported: agencies' drafts never are.
The data dictionary describes every field in Vietnamese and English.
"""

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from giamsat.difficulties import exports as difficulty_exports
from giamsat.directives.models import Directive
from giamsat.indicators import exports as indicator_exports
from giamsat.ingest import behind
from giamsat.lib import cells
from giamsat.orgs import exports as org_exports
from giamsat.rankings import exports as ranking_exports
from giamsat.tasks import exports as task_exports

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Entity:
    fields: list[str]
    rows: object  # (as_of, **filters) → list[dict]
    title_vi: str
    title_en: str


def directive_rows(as_of: datetime.date) -> list[dict]:
    return [{"id": d.pk, "kind": d.kind, "number": d.number,
             "issued_on": d.issued_on.isoformat() if d.issued_on else None, "title": d.title}
            for d in Directive.objects.order_by("issued_on", "number", "pk")]


def target_rows(as_of: datetime.date) -> list[dict]:
    return [row for row in indicator_exports.observation_rows() if row["kind"] == "target"]


ENTITIES = {
    "organisations": Entity(org_exports.FIELDS, lambda as_of, **_: org_exports.organisation_rows(),
                            "Cơ quan và quá trình sắp xếp", "Organisations and succession"),
    "directives": Entity(["id", "kind", "number", "issued_on", "title"],
                         lambda as_of, **_: directive_rows(as_of),
                         "Văn bản giao nhiệm vụ", "Directives"),
    "tasks": Entity(task_exports.TASK_FIELDS,
                    lambda as_of, tasks=None, **_: task_exports.task_rows(as_of, tasks),
                    "Nhiệm vụ", "Tasks"),
    "assignments": Entity(task_exports.ASSIGNMENT_FIELDS,
                          lambda as_of, assignments=None, **_:
                          task_exports.assignment_rows(as_of, assignments),
                          "Phân công nhiệm vụ", "Assignments"),
    "updates": Entity(task_exports.UPDATE_FIELDS, lambda as_of, **_:
                      task_exports.update_rows(as_of),
                      "Cập nhật đã duyệt của các cơ quan", "Approved agency updates"),
    "indicators": Entity(indicator_exports.INDICATOR_FIELDS,
                         lambda as_of, **_: indicator_exports.indicator_rows(),
                         "Chỉ tiêu", "Indicators"),
    "observations": Entity(indicator_exports.OBSERVATION_FIELDS,
                           lambda as_of, indicator=None, **_:
                           indicator_exports.observation_rows(indicator),
                           "Số liệu và mục tiêu của chỉ tiêu", "Indicator values and targets"),
    "shortfalls": Entity(behind.EXPORT_FIELDS,
                         lambda as_of, indicator=None, **_: behind.export_rows(indicator),
                         "Cơ quan được nêu tên chưa thực hiện",
                         "Agencies named as not having done something"),
    "difficulties": Entity(difficulty_exports.FIELDS,
                           lambda as_of, **filters: difficulty_exports.difficulty_rows(
                               **filters),
                           "Vướng mắc, kiến nghị", "Difficulties and proposals"),
    "rankings": Entity(ranking_exports.RANKING_FIELDS,
                       lambda as_of, indicator=None, period=None, **_:
                       ranking_exports.ranking_rows(as_of, indicator, period),
                       "Xếp hạng bộ, ngành, địa phương", "League tables of agencies"),
    "compliance": Entity(ranking_exports.COMPLIANCE_FIELDS,
                         lambda as_of, **_: ranking_exports.compliance_rows(as_of),
                         "Phân nhóm theo tỷ lệ nhiệm vụ hoàn thành đúng hạn",
                         "Agencies grouped by tasks completed on time"),
}

# field → (Vietnamese, English); one dictionary for every entity (the names are shared).
DICTIONARY = {
    "id": ("Mã định danh", "Identifier"),
    "name": ("Tên", "Name"), "short_name": ("Tên viết tắt", "Short name"),
    "kind": ("Loại", "Kind"), "admin_type": ("Loại đơn vị hành chính", "Administrative type"),
    "code": ("Mã đơn vị hành chính", "Administrative code (reused after mergers)"),
    "valid_from": ("Hiệu lực từ ngày", "Valid from"), "valid_to": ("Hiệu lực đến ngày",
                                                                   "Valid until"),
    "parent": ("Cơ quan cấp trên", "Parent organisation"),
    "aliases": ("Tên gọi khác", "Other names"),
    "successors": ("Cơ quan kế thừa", "Successors"),
    "successor_ids": ("Mã cơ quan kế thừa", "Successor identifiers"),
    "succession_date": ("Ngày sắp xếp", "Date of the restructuring"),
    "succession_kind": ("Hình thức sắp xếp", "Kind of restructuring"),
    "legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "predecessors": ("Cơ quan được kế thừa", "Predecessors"),
    "predecessor_ids": ("Mã cơ quan được kế thừa", "Predecessor identifiers"),
    "number": ("Số, ký hiệu văn bản", "Document number"),
    "issued_on": ("Ngày ban hành", "Date issued"), "title": ("Tên, trích yếu", "Title"),
    "directive": ("Văn bản giao nhiệm vụ", "Directive"), "area": ("Lĩnh vực", "Area"),
    "area_as_written": ("Lĩnh vực (nguyên văn)", "Area as written"),
    "lead": ("Cơ quan chủ trì", "Lead agencies"),
    "coordinating": ("Cơ quan phối hợp", "Coordinating agencies"),
    "deadline_raw": ("Thời hạn (nguyên văn)", "Deadline as written"),
    "deadline_kind": ("Loại thời hạn", "Kind of deadline"),
    "due_date": ("Hạn hoàn thành", "Due date"),
    "status": ("Tình trạng tại ngày xuất dữ liệu", "Status on the export date"),
    "progress": ("Tỷ lệ cơ quan chủ trì đã hoàn thành", "Share of lead agencies complete"),
    "source": ("Nguồn", "Source"),
    "task_id": ("Mã nhiệm vụ", "Task identifier"),
    "assignment_id": ("Mã phân công", "Assignment identifier"),
    "organisation": ("Cơ quan", "Organisation"),
    "organisation_id": ("Mã cơ quan", "Organisation identifier"),
    "named_as": ("Tên cơ quan ghi trong văn bản", "Organisation as the document names it"),
    "role": ("Vai trò (chủ trì, phối hợp)", "Role (lead, coordinating)"),
    "completed_on": ("Ngày hoàn thành", "Completed on"),
    "evidence": ("Văn bản minh chứng", "Evidence"),
    "period": ("Kỳ (năm-tháng)", "Period (year-month)"),
    "result": ("Kết quả thực hiện", "Result"),
    "difficulties": ("Khó khăn, vướng mắc", "Difficulties"),
    "proposals": ("Kiến nghị, đề xuất", "Proposals"),
    "unit": ("Đơn vị tính", "Unit"), "direction": ("Chiều đánh giá (1: càng cao càng tốt; "
                                                   "-1: càng thấp càng tốt)",
                                                   "Direction (1 higher is better, -1 lower)"),
    "frequency": ("Tần suất", "Frequency"), "accumulation": ("Cách cộng dồn", "Accumulation"),
    "proposed": ("Đề xuất khi nhập, chưa có trong danh mục",
                 "Proposed by an import, not in the catalogue"),
    "indicator": ("Mã chỉ tiêu", "Indicator code"), "value": ("Giá trị", "Value"),
    "target_level": ("Mức mục tiêu (tối thiểu, phấn đấu)", "Target level (minimum, "
                                                           "aspiration)"),
    "observed_on": ("Số liệu đến ngày", "Value as of"),
    "statement": ("Nội dung chưa thực hiện", "What has not been done"),
    "document": ("Văn bản nêu tên", "Document that names the agency"),
    "line": ("Dòng trong văn bản", "Line in the document"),
    "as_of": ("Ngày của văn bản", "Date of the document"),
    "raw_text": ("Nguyên văn", "Text as read"),
    "state": ("Trạng thái", "State"), "problem": ("Vướng mắc", "Difficulty"),
    "solution": ("Giải pháp, kiến nghị", "Proposed solution"),
    "raised_by": ("Cơ quan nêu (trống: Cơ quan thường trực)",
                  "Raised by (empty: the standing office)"),
    "raised_on": ("Ngày nêu", "Raised on"),
    "responsible": ("Cơ quan phải xử lý", "Agencies that must act"),
    "responsible_done": ("Cơ quan đã xử lý xong", "Agencies that reported their part done"),
    "resolved_on": ("Ngày giải quyết xong", "Resolved on"),
    "resolution": ("Kết quả giải quyết", "How it was resolved"),
    "decline_reason": ("Lý do không tiếp nhận", "Reason for declining"),
    "merged_into": ("Gộp vào mục", "Merged into item"),
    "task_ids": ("Mã nhiệm vụ liên quan", "Related task identifiers"),
    "bloc": ("Khối (central: bộ, ngành; provinces: địa phương)",
             "Bloc (central: ministries and central agencies; provinces)"),
    "rank": ("Thứ hạng trong khối (bằng giá trị thì cùng hạng)",
             "Rank in the bloc (equal values share a rank)"),
    "rank_change": ("Thay đổi thứ hạng so với kỳ trước (dương: tăng hạng)",
                    "Rank change since the previous period (positive: climbed)"),
    "target": ("Chỉ tiêu cơ quan đăng ký cho kỳ", "Target the agency registered for the "
                                                  "period"),
    "met": ("Đạt chỉ tiêu đăng ký", "Registered target met"),
    "change": ("Thay đổi so với kỳ trước", "Change since the previous period"),
    "previous_value": ("Giá trị kỳ trước (cơ quan sau sắp xếp: tính từ các cơ quan trước "
                       "sắp xếp)", "Value of the previous period (a merged agency's from "
                                   "its predecessors')"),
    "target_share": ("Giá trị so với chỉ tiêu đăng ký (%)",
                     "Value as a percentage of the registered target"),
    "group": ("Nhóm", "Compliance group"),
    "due_total": ("Số nhiệm vụ chủ trì đến hạn", "Lead assignments due"),
    "due_on_time": ("Số nhiệm vụ hoàn thành đúng hạn", "Of them completed on time"),
    "on_time_share": ("Tỷ lệ hoàn thành đúng hạn (%)", "Share completed on time (%)"),
}


class UnknownExport(ValueError):
    pass


def rows(entity: str, as_of: datetime.date, **filters) -> tuple[list[str], list[dict]]:
    if entity not in ENTITIES:
        raise UnknownExport(entity)
    spec = ENTITIES[entity]
    return spec.fields, spec.rows(as_of, **filters)


def as_csv(fields: list[str], data: list[dict]) -> bytes:
    buffer = io.StringIO()
    # RFC 4180's CRLF: the writer then quotes a field holding a carriage return as well as a
    # line feed, so no text can end a row early and start one of its own.
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({field: cells.csv_value(row.get(field)) for field in fields}
                     for row in data)
    # A byte-order mark, so that Excel opens Vietnamese CSV as UTF-8.
    return "\ufeff".encode() + buffer.getvalue().encode()


def as_json(fields: list[str], data: list[dict]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def as_xlsx(fields: list[str], data: list[dict], title: str = "Dữ liệu") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(fields)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
    for number, row in enumerate(data, 2):
        for column, field in enumerate(fields, 1):
            cells.put(sheet.cell(number, column), row.get(field))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(2, len(data) + 1)}"
    for column, field in enumerate(fields, 1):
        longest = max([len(field)] + [len(str(r.get(field) or "")) for r in data[:500]])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, longest + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(entity: str, fmt: str, as_of: datetime.date, **filters) -> bytes:
    fields, data = rows(entity, as_of, **filters)
    if fmt == "csv":
        return as_csv(fields, data)
    if fmt == "json":
        return as_json(fields, data)
    if fmt == "xlsx":
        return as_xlsx(fields, data, ENTITIES[entity].title_vi)
    raise UnknownExport(fmt)


def dictionary_rows() -> list[dict]:
    return [{"entity": entity, "field": field, "mo_ta": DICTIONARY[field][0],
             "description": DICTIONARY[field][1]}
            for entity, spec in ENTITIES.items() for field in spec.fields]


def opendata_bundle(target: Path, as_of: datetime.date, progress=None) -> list[str]:
    """Write the open-data files to a folder, or to a .zip; the names written."""
    files: dict[str, bytes] = {}
    resources = []
    for number, (entity, spec) in enumerate(ENTITIES.items(), 1):
        if progress:
            progress(number, len(ENTITIES), entity)
        fields, data = rows(entity, as_of)
        files[f"{entity}.csv"] = as_csv(fields, data)
        files[f"{entity}.json"] = as_json(fields, data)
        resources.append({
            "name": entity, "path": f"{entity}.csv", "format": "csv", "encoding": "utf-8-sig",
            "title": spec.title_vi, "description": spec.title_en, "count": len(data),
            "schema": {"fields": [{"name": f, "title": DICTIONARY[f][0],
                                   "description": DICTIONARY[f][1]} for f in fields]},
        })
    files["data-dictionary.csv"] = as_csv(["entity", "field", "mo_ta", "description"],
                                          dictionary_rows())
    files["datapackage.json"] = json.dumps({
        "name": "giamsat-chuyen-doi-so-quoc-gia",
        "title": "Dữ liệu mở giám sát, đánh giá chuyển đổi số quốc gia",
        "description": "Monitoring data of Vietnam's national digital-transformation "
                       "programme: tasks, their agencies and status, indicators, values and "
                       "targets. Only approved data.",
        "created": datetime.date.today().isoformat(), "as_of": as_of.isoformat(),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }, ensure_ascii=False, indent=1).encode()
    files["README.txt"] = README.format(as_of=as_of.strftime("%d/%m/%Y")).encode()
    if target.suffix == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, data in files.items():
                bundle.writestr(name, data)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
    return list(files)


README = """Dữ liệu mở giám sát, đánh giá chuyển đổi số quốc gia — số liệu đến ngày {as_of}

Mỗi bảng có hai tệp: .csv (UTF-8, mở được bằng Excel) và .json. Ý nghĩa từng cột ở
data-dictionary.csv (tiếng Việt và tiếng Anh); datapackage.json mô tả gói dữ liệu theo
chuẩn Frictionless Data Package. Chỉ gồm dữ liệu đã được duyệt; tình trạng nhiệm vụ tính
tại ngày xuất dữ liệu. Cơ quan đã sắp xếp vẫn giữ tên cũ; cột successor_ids cho biết cơ
quan kế thừa. Trong tệp .csv, ô chữ bắt đầu bằng =, +, -, @ (hoặc ký tự tab, xuống
dòng) được thêm dấu ' ở đầu để chương trình bảng tính không chạy nó như công thức; tệp
.json giữ nguyên văn.

Open data of Vietnam's national digital-transformation monitoring, as of {as_of}. Each
table comes as .csv (UTF-8) and .json; data-dictionary.csv explains every column in
Vietnamese and English; datapackage.json follows the Frictionless Data Package standard.
Approved data only; task status is computed on the export date. Former organisations keep
their names; successor_ids names who carries them forward. In the .csv files a text
cell beginning with =, +, -, @ (or a tab or carriage return) starts with an added ' so
that spreadsheet programs do not run it as a formula; the .json files keep the text as
it is.
"""
