"""`giamsat report …` and the Báo cáo page."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from giamsat import demo
from giamsat.reporting.expected import reporting_rounds
from giamsat.reporting.periods import last_closed_period
from giamsat.reports.models import GeneratedReport, ReportState

# The live demo runs to today: the reports are for its months, quarters and years.
AS_OF = demo.as_of()
MONTH = last_closed_period(AS_OF)  # the month of the latest monthly report
QUARTER = (MONTH.month - 1) // 3 + 1
HALF = 1 if AS_OF.month <= 6 else 2
ROMAN = ["I", "II", "III", "IV"]


@pytest.fixture
def demo_data(db):
    demo.generate(today=AS_OF)


def test_the_command_writes_each_format(demo_data, tmp_path):
    out = io.StringIO()
    target = tmp_path / "thang.docx"
    call_command("report", "monthly", "--month", f"{MONTH:%Y-%m}", "--as-of",
                 AS_OF.isoformat(), "-o", str(target), "--no-charts", stdout=out)
    assert "Wrote" in out.getvalue() or "Đã ghi" in out.getvalue()
    document = Document(target)
    paragraphs = [p.text for p in document.paragraphs]
    assert f"Chuyển đổi số quốc gia tháng {MONTH.month} năm {MONTH.year}" in paragraphs
    # The reporting sentence has the dashboard's numbers (reporting_status).
    rounds = reporting_rounds(AS_OF)
    assert rounds.closed.period == MONTH and any(
        f"{rounds.closed.received}/{rounds.closed.expected} cơ quan đã gửi báo cáo tháng "
        f"{MONTH.month}/{MONTH.year}" in p for p in paragraphs)
    sheet = tmp_path / "h.xlsx"
    call_command("report", "half-year", "--year", str(AS_OF.year), "--half", str(HALF),
                 "--format", "xlsx",
                 "-o", str(sheet), "--no-charts", stdout=io.StringIO())
    assert "PL01 Đã hoàn thành" in load_workbook(sheet).sheetnames


def test_the_command_writes_quarterly_and_yearly_reports_signed_as_asked(demo_data, tmp_path):
    quarter = tmp_path / "q3.docx"
    call_command("report", "quarterly", "--year", str(MONTH.year), "--quarter", str(QUARTER),
                 "--as-of", AS_OF.isoformat(), "--number", "123", "--issued-on", "2025-10-20",
                 "--signer",
                 "Trần Thị B", "--signer-title", "BỘ TRƯỞNG", "-o", str(quarter),
                 "--no-charts", stdout=io.StringIO())
    document = Document(quarter)
    paragraphs = [p.text for p in document.paragraphs]
    assert (f"Kết quả thực hiện chuyển đổi số quốc gia quý {ROMAN[QUARTER - 1]} năm "
            f"{MONTH.year}") in paragraphs
    assert document.tables[0].cell(1, 0).text.startswith("Số: 123/BC-")
    assert document.tables[0].cell(1, 1).text == "Hà Nội, ngày 20 tháng 10 năm 2025"
    assert "Trần Thị B" in document.tables[1].cell(0, 1).text
    assert any(p.startswith("(Kèm theo Báo cáo số 123/BC-") and "ngày 20/10/2025" in p
               for p in paragraphs)
    year = tmp_path / "nam.xlsx"
    call_command("report", "yearly", "--year", str(MONTH.year), "--format", "xlsx", "-o", str(year),
                 "--no-charts", stdout=io.StringIO())
    assert "PL05 Theo văn bản" in load_workbook(year).sheetnames


@pytest.mark.parametrize(("args", "message"), [
    (["monthly", "--month", "10/2025x", "-o", "x.docx"], "not a month"),
    (["monthly", "--month", "2025-10", "--as-of", "31/10/2025", "-o", "x.docx"], "not a date"),
    (["monthly", "--month", "2025-10", "--directive", "99/NQ-CP", "-o", "x.docx"],
     "No directive"),
    (["monthly", "--month", "2025-10", "-o", "/no/such/folder/x.docx", "--no-charts"],
     "Cannot write"),
])
def test_the_command_refuses_clearly(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, stdout=io.StringIO())


def test_the_page_writes_a_report_to_download(client, make_user, demo_data, settings,
                                              tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user("standing_office"))
    page = client.get("/bao-cao/").content.decode()
    assert "Viết báo cáo" in page and 'name="proposals"' in page
    response = client.post("/bao-cao/", {"kind": "half_year", "year": str(AS_OF.year),
                                         "half": str(HALF), "format": "docx",
                                         "as_of": f"{AS_OF:%d/%m/%Y}",
                                         "month": "", "directive": "", "source": "",
                                         "proposals": ""})
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and report.state == ReportState.READY, report.error
    assert report.figures["due_total"] >= 0 and report.created_by.username == \
        "standing_office-all"
    page = client.get(response["Location"]).content.decode()
    assert "Tải về" in page
    download = client.get(f"/bao-cao/{report.pk}/tai-ve/")
    data = b"".join(download.streaming_content)
    half = "dau" if HALF == 1 else "cuoi"
    assert download["Content-Disposition"].endswith(
        f'bao-cao-6-thang-{half}-nam-{AS_OF.year}.docx"')
    assert "Phụ lục 01" in [p.text for p in Document(io.BytesIO(data)).paragraphs]
    response = client.post("/bao-cao/", {"kind": "quarter", "year": str(MONTH.year),
                                         "quarter": str(QUARTER), "format": "docx",
                                         "as_of": f"{AS_OF:%d/%m/%Y}",
                                         "number": "45", "issued_on": "20/10/2025",
                                         "signer_name": "Lê Văn C",
                                         "signer_title": "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"})
    quarter = GeneratedReport.objects.get(kind="quarter")
    assert quarter.state == ReportState.READY, quarter.error
    assert quarter.filename == f"bao-cao-quy-{QUARTER}-nam-{MONTH.year}.docx"
    written = Document(io.BytesIO(quarter.file.read()))
    assert written.tables[0].cell(1, 1).text == "Hà Nội, ngày 20 tháng 10 năm 2025"
    assert "Lê Văn C" in written.tables[1].cell(0, 1).text
    assert f"quý {QUARTER}/{MONTH.year}" in client.get("/bao-cao/").content.decode()
    bad = client.post("/bao-cao/", {"kind": "monthly", "month": "13/2025", "format": "docx"})
    assert bad.status_code == 400 and "không phải là tháng" in bad.content.decode()
    assert GeneratedReport.objects.count() == 2
