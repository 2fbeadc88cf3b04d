"""The reports written from the imported corpus: the half-year appendices reproduce those
of the report of 18/07/2025 (004), the numbers agree with the dashboard, and the files
are what Decree 30/2020/NĐ-CP asks for, read back from DOCX, XLSX and PDF."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from giamsat.orgs.lists import resolve_list
from giamsat.orgs.resolve import Resolver
from giamsat.reports.builders import Scope, Signing, half_year_report, monthly_report
from giamsat.reports.excel import render_xlsx
from giamsat.reports.pdf import docx_to_pdf, soffice
from giamsat.reports.word import render_docx
from giamsat.tasks.models import Appearance, AppearanceState, Role, Task
from giamsat.tasks.queries import agencies_overview, status_summary

D = datetime.date
REPORT_DAY = D(2025, 7, 18)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
pytestmark = [pytest.mark.corpus, pytest.mark.django_db]


@pytest.fixture(scope="module")
def half_year(imported_corpus, django_db_blocker):
    """H1/2025 as the report of 18/07/2025 saw it: the tasks that report listed."""
    with django_db_blocker.unblock():
        return half_year_report(2025, 1, as_of=REPORT_DAY, scope=Scope(document="004_"),
                                signing=Signing(issued_on=REPORT_DAY))


def appendix_rows(report, number):
    (table,) = report.appendix(number).tables()
    return table.data_rows


def test_appendix_01_has_the_76_completed_tasks_with_their_evidence(half_year):
    rows = appendix_rows(half_year, "01")
    listed = Appearance.objects.filter(path__contains="004_", section__contains="PHỤ LỤC 01",
                                       state=AppearanceState.COMPLETED)
    assert len(rows) == 76 == listed.values("task").distinct().count()
    assert {r[1] for r in rows} == set(Task.objects.filter(appearances__in=listed)
                                       .values_list("title", flat=True))
    first = next(r for r in rows if "1169/QĐ-TTg" in r[4])
    assert first[2] == "Bộ Khoa học và Công nghệ" and first[5] == "16/06/2025"
    assert half_year.figures["completed_in_period"] == 76


def test_appendix_02_has_the_30_overdue_tasks_with_the_same_open_agencies(half_year):
    rows = {r[1]: r for r in appendix_rows(half_year, "02")}
    listed = Appearance.objects.filter(path__contains="004_", section__contains="PHỤ LỤC 02",
                                       state=AppearanceState.OVERDUE)
    assert len(rows) == 30 == listed.count()
    resolver = Resolver()
    for appearance in listed:
        row = rows[appearance.task.title]
        written = appearance.raw_text.split("\n\t")[-1]
        named = {o.name for n in resolve_list(written, REPORT_DAY, resolver)
                 for o in n.resolution.organisations}
        if not written.strip():  # no agency listed: the task as a whole is open
            named = set(appearance.task.assignments.filter(role=Role.LEAD)
                        .values_list("organisation__name", flat=True))
        assert set(row[4].split(", ")) == named, appearance.line


def test_appendix_03_has_the_same_values_and_the_same_answer_for_june(half_year,
                                                                     imported_corpus):
    blocks = half_year.appendix("03").blocks
    tables = [b for b in blocks if hasattr(b, "columns")]
    ministries, provinces = tables
    assert ministries.columns[2:8] == ["Đặt chỉ tiêu tháng 4", "Tỷ lệ đạt được tháng 4",
                                       "Đặt chỉ tiêu tháng 5", "Tỷ lệ đạt được tháng 5",
                                       "Đặt chỉ tiêu tháng 6", "Tỷ lệ đạt được tháng 6"]
    police = next(r for r in ministries.rows if r[1] == "Bộ Công an")
    assert police[2:8] == ["", "49,79%", "", "47,01%", "", "45,96%"]  # as in 004
    trade = next(r for r in ministries.rows if r[1] == "Bộ Công Thương")
    assert trade[2:8] == ["85%", "59,92%", "85%", "61,93%", "85%", "62,15%"]
    assert len(provinces.rows) == 63
    an_giang = next(r for r in provinces.rows if r[1].startswith("An Giang"))
    assert an_giang[6:8] == ["30%", "14,28%"]
    assert half_year.figures["met"]["ho-so-truc-tuyen-toan-trinh"] == ["Bộ Nội vụ"]
    text = " ".join(b.text for b in blocks if hasattr(b, "text"))
    assert "Chỉ có 01 cơ quan đạt được chỉ tiêu" in text and "(Bộ Nội vụ)" in text


def test_appendix_04_lists_the_second_half_by_month(half_year):
    (table,) = half_year.appendix("04").tables()
    groups = [table.rows[i][0] for i in sorted(table.group_rows)]
    assert groups[0] == "Tháng 7/2025" and groups[-1] == "Tháng 12/2025"
    assert len(table.data_rows) == half_year.figures["next_half_tasks"] > 0


def test_the_monthly_report_counts_what_the_dashboard_counts(imported_corpus, client,
                                                             make_user):
    end = D(2025, 6, 30)
    report = monthly_report(D(2025, 6, 1), as_of=end, with_charts=False)
    summary = status_summary(Task.objects.all(), end)
    assert report.figures["due_total"] == summary.due_total
    assert report.figures["due_completed"] == summary.due_completed
    assert report.figures["due_on_time"] == summary.due["completed_on_time"]
    assert report.figures["overdue"] == summary.counts["overdue"]
    assert report.figures["agencies"] == {
        r.organisation.slug: (r.due_total, r.due_completed, r.overdue)
        for r in agencies_overview(end)}
    client.force_login(make_user("viewer"))
    page = client.get("/", {"ngay": "30/06/2025"}).content.decode()

    def metric(name):
        return int(re.search(rf'data-metric="{name}">([^<]*)<', page).group(1)
                   .replace(".", ""))

    assert (metric("due_total"), metric("due_on_time"), metric("overdue")) == (
        report.figures["due_total"], report.figures["due_on_time"], report.figures["overdue"])
    text = "\n".join(b.text for b in report.blocks if hasattr(b, "text"))
    share = f"{100 * summary.due_completed / summary.due_total:.1f}".replace(".", ",")
    assert (f"có tổng số {summary.due_total} nhiệm vụ cần hoàn thành. Đến ngày 30/06/2025, "
            f"đã hoàn thành {summary.due_completed} nhiệm vụ (tương ứng {share}%)") in text


def test_april_names_the_21_agencies_without_a_registered_target(imported_corpus):
    """The April report (000) says 21 agencies had not registered targets; so do the data."""
    report = monthly_report(D(2025, 4, 1), as_of=D(2025, 4, 30), with_charts=False)
    assert report.figures["not_registered"] == {"ho-so-truc-tuyen-toan-trinh": 21}
    text = "\n".join(b.text for b in report.blocks if hasattr(b, "text"))
    assert "Còn 21 cơ quan chưa đăng ký chỉ tiêu" in text
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in text
    # Speeds and capacities in the units the April report (000) writes them in.
    assert "Tốc độ truy cập mạng băng rộng cố định: 166,99 Mbps." in text
    assert "Tổng dung lượng cáp quang trên biển: 52 Tbps (so với tháng 3 là 38 Tbps)." in text
    edited = monthly_report(D(2025, 4, 1), as_of=D(2025, 4, 30), with_charts=False,
                            proposals="Đề nghị Thủ tướng chỉ đạo các bộ đăng ký chỉ tiêu.")
    assert edited.blocks[-1].text == "Đề nghị Thủ tướng chỉ đạo các bộ đăng ký chỉ tiêu."


def test_the_docx_has_the_decree_30_layout(half_year):
    document = Document(io.BytesIO(render_docx(half_year)))
    first = document.sections[0]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(first.left_margin.cm), round(first.right_margin.cm, 1)) == (3, 1.5)
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0]
    # Broken where a clerk breaks it, not by Word inside "CÔNG NGHỆ".
    assert header.cell(0, 0).text.strip() == "BỘ KHOA HỌC\nVÀ CÔNG NGHỆ"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in header.cell(0, 1).text
    assert header.cell(1, 0).text.startswith("Số:") and "/BC-BKHCN" in header.cell(1, 0).text
    assert header.cell(1, 1).text == "Hà Nội, ngày 18 tháng 7 năm 2025"
    paragraphs = [p.text for p in document.paragraphs]
    title = paragraphs.index("BÁO CÁO")
    assert paragraphs[title + 1] == "Kết quả thực hiện chuyển đổi số quốc gia 6 tháng đầu " \
        "năm 2025"
    for number in ("01", "02", "03", "04"):
        assert f"Phụ lục {number}" in paragraphs
    # Appendices are on landscape pages; their tables keep the header row on every page.
    assert all(s.page_width > s.page_height for s in document.sections[1:])
    completed = next(t for t in document.tables if t.rows[0].cells[-1].text == "Ngày hoàn thành")
    assert len(completed.rows) == 77 and "w:tblHeader" in completed.rows[0]._tr.xml
    signature = document.tables[1]
    assert "Nơi nhận:" in signature.cell(0, 0).text and "KT. BỘ TRƯỞNG" in \
        signature.cell(0, 1).text
    assert round(first.top_margin.cm) == 2 == round(first.bottom_margin.cm)


def test_the_xlsx_has_a_sheet_per_appendix_table(half_year):
    workbook = load_workbook(io.BytesIO(render_xlsx(half_year)))
    assert workbook.sheetnames[:2] == ["PL01 Đã hoàn thành", "PL02 Quá hạn"]
    sheet = workbook["PL02 Quá hạn"]
    assert sheet["A5"].value == "TT" and sheet["E5"].value == "Đơn vị chưa hoàn thành"
    assert sheet["A5"].font.bold and sheet.freeze_panes == "C6"
    assert sheet.auto_filter.ref == "A5:E35" and sheet.max_row == 35
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_the_pdf_renders_and_its_pages_are_kept_to_look_at(half_year):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = docx_to_pdf(render_docx(half_year))
    assert pdf.startswith(b"%PDF")
    target = ARTIFACTS / "half-year-2025-1.pdf"
    target.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        for old in ARTIFACTS.glob("half-year-2025-1-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-l", "4", str(target),
                        str(ARTIFACTS / "half-year-2025-1")], check=True, timeout=120)
        assert len(list(ARTIFACTS.glob("half-year-2025-1-*.png"))) == 4
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout if shutil.which("pdftotext") else ""
    assert not text or ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Phụ lục 02" in text)
