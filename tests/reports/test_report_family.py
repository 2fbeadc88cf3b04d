"""The report family on the corpus: monthly, quarterly, half-year and yearly reports from
one builder, written as DOCX, XLSX and PDF, and every count the text gives equal to the
rows of the appendix it points to."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from giamsat.reports.builders import (
    Signing,
    half_year_report,
    monthly_report,
    quarterly_report,
    yearly_report,
)
from giamsat.reports.excel import render_xlsx
from giamsat.reports.pdf import docx_to_pdf, soffice
from giamsat.reports.word import render_docx
from giamsat.tasks.models import Task

D = datetime.date
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
pytestmark = [pytest.mark.corpus, pytest.mark.django_db]
SIGNING = Signing(number="57", issued_on=D(2026, 1, 5), signer_name="Nguyễn Văn A",
                  signer_title=("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"))


@pytest.fixture(scope="module")
def reports(imported_corpus, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            "monthly": monthly_report(D(2025, 6, 1), as_of=D(2025, 6, 30), with_charts=False,
                                      signing=SIGNING),
            "quarter": quarterly_report(2025, 2, as_of=D(2025, 7, 18), with_charts=False,
                                        signing=SIGNING),
            "half_year": half_year_report(2025, 1, as_of=D(2025, 7, 18), with_charts=False,
                                          signing=SIGNING),
            "year": yearly_report(2025, as_of=D(2025, 12, 31), with_charts=False,
                                  signing=SIGNING),
        }


def _text(report) -> list[str]:
    return [b.text for b in report.blocks if hasattr(b, "text")]


# A sentence that points to an appendix: "<n> nhiệm vụ … (Phụ lục 02)" or "… Phụ lục 01."
# No other number may stand between the count and the appendix it points to.
POINTER = re.compile(r"(\d+) (?:nhiệm vụ|cơ quan|vướng mắc)[^;()\d]*?\(?Phụ lục (\d\d)")


@pytest.mark.parametrize("kind", ["monthly", "quarter", "half_year", "year"])
def test_every_count_in_the_text_is_the_count_of_its_appendix(reports, kind):
    report = reports[kind]
    checked = 0
    for sentence in _text(report):
        for count, number in POINTER.findall(sentence):
            rows = [r for t in report.appendix(number).tables() for r in t.data_rows]
            assert int(count) == len(rows), (sentence, number)
            checked += 1
    assert checked >= (1 if kind == "monthly" else 3)
    # The same open tasks are never counted twice with two numbers.
    if kind != "monthly":
        f = report.figures
        assert f["overdue"] <= f["open"]
        assert f["overdue"] == len(report.appendix("02").tables()[0].data_rows)


def test_the_yearly_report_has_directives_indicators_difficulties_and_next_year(reports):
    report = reports["year"]
    text = "\n".join(_text(report))
    assert "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ" in text
    assert "2. Đề xuất, kiến nghị" in text
    directives = report.figures["directives"]
    assert directives and all(0 <= done <= total for done, total in directives.values())
    for name, (done, total) in directives.items():
        assert f"- {name}: {done}/{total} nhiệm vụ hoàn thành." in text
    (table,) = report.appendix("05").tables()
    assert [r[1] for r in table.rows] == list(directives)
    (indicators,) = report.appendix("03").tables()
    assert indicators.columns == ["TT", "Chỉ tiêu", "Mục tiêu", "Cơ quan chủ trì", "Kết quả",
                                  "Đánh giá"]
    assert f"Có {report.figures['indicators_met']}/{len(indicators.rows)} chỉ tiêu" in text
    assert report.appendix("04").title.endswith("TỪ 01/01/2026 ĐẾN 31/12/2026")


def test_appendices_carry_the_report_number_and_date_and_the_signer_is_given(reports):
    for report in reports.values():
        assert report.date == D(2026, 1, 5) and report.number == "57"
        assert report.signer_name == "Nguyễn Văn A"
        for appendix in report.appendices:
            assert appendix.blocks[0].text.startswith(
                "(Kèm theo Báo cáo số 57/BC-BKHCN ngày 05/01/2026 của "), appendix.number
        # Numbered from 01 without gaps, as a clerk numbers them.
        numbers = [int(a.number) for a in report.appendices]
        assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_a_group_of_agencies_is_written_by_its_name(reports):
    rows = [r for a in reports["year"].appendices for t in a.tables() for r in t.data_rows]
    assert any(r[2] in ("Các bộ, ngành, địa phương", "Các địa phương", "Các bộ, ngành")
               for r in rows)
    assert all(len(r[2].split(", ")) < 10 for r in rows if len(r) > 2)


def test_the_issue_date_defaults_to_today_not_the_as_of_date(imported_corpus):
    report = quarterly_report(2025, 2, as_of=D(2025, 7, 18), with_charts=False)
    assert report.date == datetime.date.today() != D(2025, 7, 18)


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("kind", ["monthly", "quarter", "half_year", "year"])
def test_each_kind_is_written_as_docx_xlsx_and_pdf(reports, kind):
    report = reports[kind]
    document = Document(io.BytesIO(render_docx(report)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[paragraphs.index("BÁO CÁO") + 1] == report.title
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    assert len(workbook.sheetnames) >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"family-{kind}.pdf"
    target.write_bytes(docx_to_pdf(render_docx(report)))
    if shutil.which("pdftoppm"):
        for old in ARTIFACTS.glob(f"family-{kind}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(target),
                        str(ARTIFACTS / f"family-{kind}")], check=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Số: 57/BC-BKHCN" in text and "ngày 05 tháng 01 năm 2026" in text
    assert "Nguyễn Văn A" in text


def test_the_monthly_appendix_lists_only_the_month_and_counts_the_rest(reports):
    """At national scale (20,000 tasks) every overdue task in every monthly report made it
    slow and long: the monthly appendix lists the tasks due in the month still not done."""
    report = reports["monthly"]
    rows = report.appendix("01").tables()[0].data_rows
    assert rows and len(rows) == report.figures["overdue_in_month"] < report.figures["overdue"]
    deadlines = set(Task.objects.filter(title__in=[r[1] for r in rows])
                    .values_list("deadline_due", flat=True))
    assert all(D(2025, 6, 1) <= d <= D(2025, 6, 30) for d in deadlines)
    text = "\n".join(_text(report))
    assert f"Còn {report.figures['overdue']} nhiệm vụ đã quá hạn nhưng chưa hoàn thành; chi " \
           f"tiết {len(rows)} nhiệm vụ đến hạn trong tháng chưa hoàn thành tại Phụ lục 01." in text
