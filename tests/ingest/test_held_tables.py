"""A document with tables giamsat has not seen: the rest is imported, what cannot be
understood is held whole, a person says what its columns mean (command line or the import
page), and the same header is understood from then on."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from giamsat.indicators.models import Observation, Target
from giamsat.ingest.models import HeldState, HeldTable, TableMapping, Upload, UploadState
from giamsat.ingest.write import run_import
from giamsat.tasks.models import Assignment, Role, Task

DATA = Path(__file__).resolve().parents[1] / "data"
REPORT = DATA / "province_report.txt"
D = datetime.date


def held_lines(summary) -> list[int]:
    return [held["line"] for held in summary["files"][0]["held_tables"]]


@pytest.mark.django_db
def test_a_report_with_unknown_tables_imports_the_rest_and_holds_them():
    summary = run_import([str(REPORT)])
    assert held_lines(summary) == [81, 98]  # the proposals and the list of contacts
    assert summary["totals"]["held_tables"] == 2
    assert {s["kind"] for s in summary["files"][0]["sections"]} == {
        "indicator_results", "completed_tasks", "task_table"}
    held = HeldTable.objects.get(line=81)
    assert held.state == HeldState.HELD and held.header == ["TT", "Mục", "Bên thực thi",
                                                             "Dự kiến xong"]
    assert [row["line"] for row in held.rows] == [86, 91]
    assert held.rows[1]["cells"][2] == "Bộ Tài chính"
    assert not Task.objects.filter(title__startswith="Hướng dẫn kết nối").exists()


@pytest.mark.django_db
def test_indicator_results_become_the_issuers_values_with_counts_and_progress_word():
    run_import([str(REPORT)])
    rate = Observation.objects.get(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert rate.organisation.slug == "bac-ninh"  # the province reports its own results
    assert (rate.value, rate.numerator, rate.denominator) == (
        Decimal("65.2"), Decimal("12480"), Decimal("19141"))
    assert rate.note.startswith("Chưa đạt")
    assert rate.period == D(2025, 9, 1) and rate.observed_on == D(2025, 9, 10)
    target = Target.objects.get(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert (target.minimum, target.aspiration, target.period_end) == (
        Decimal("70"), Decimal("80"), D(2025, 12, 31))
    platforms = Observation.objects.get(indicator__name__startswith="Số lượng nền tảng")
    assert platforms.value == 3 and platforms.indicator.proposed
    # A province's departments act for it; what a column no meaning was found for says
    # is kept in the notes.
    done = Assignment.objects.get(task__title__startswith="Ban hành Kế hoạch")
    assert (done.organisation.slug, done.named_as, done.role) == (
        "bac-ninh", "Sở Khoa học và Công nghệ", Role.LEAD)
    assert done.completed_on == D(2025, 3, 20)


MAP = """
[[table]]
line = 81
kind = "tasks"
columns = ["number", "title", "leads", "deadline"]

[[table]]
header = ["TT", "Họ và tên", "Chức vụ", "Số điện thoại"]
skip = true
"""


@pytest.mark.django_db
def test_a_mapping_file_imports_the_held_tables_and_is_remembered(tmp_path):
    template = tmp_path / "template.toml"
    call_command("import", str(REPORT), "--write-map", str(template))
    text = template.read_text(encoding="utf-8")
    assert 'header = ["TT", "Mục", "Bên thực thi", "Dự kiến xong"]' in text
    assert 'columns = ["number", "?", "?", "?"]' in text
    assert not Task.objects.exists()  # writing a template imports nothing

    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    call_command("import", str(REPORT), "--map", str(mapping))
    task = Task.objects.get(title__startswith="Hướng dẫn kết nối")
    assert task.deadline_text == "Quý IV/2025" and task.deadline_due == D(2025, 12, 31)
    assert task.assignments.get().organisation.slug == "bo-cong-an"
    assert TableMapping.objects.count() == 2

    # The same header in another document is read without being asked again.
    other = tmp_path / "thang-10.txt"
    other.write_text(REPORT.read_text(encoding="utf-8").replace(
        "tháng 8 năm 2025", "tháng 9 năm 2025").replace("Bổ sung kinh phí",
                                                        "Cấp bổ sung kinh phí"),
        encoding="utf-8")
    summary = run_import([str(other)])
    assert held_lines(summary) == []
    assert Task.objects.filter(title__startswith="Cấp bổ sung kinh phí").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("toml", "message"), [
    ("[[table]]\nline = 5\nkind = 'tasks'\ncolumns = ['title']\n", "no held table starts"),
    ("[[table]]\nline = 81\nkind = 'task'\ncolumns = ['title']\n", "is not a kind"),
    ("[[table]]\nline = 81\nkind = 'tasks'\ncolumns = ['number', 'tieu de']\n",
     "is not a column meaning"),
    ("[[table]]\nline = 81\nkind = 'tasks'\ncolumns = ['number', '?']\n", "has no meaning"),
    ("[[table]\n", "not valid TOML"),
])
def test_a_wrong_mapping_file_is_refused_and_writes_nothing(tmp_path, toml, message):
    mapping = tmp_path / "map.toml"
    mapping.write_text(toml, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import", str(REPORT), "--map", str(mapping))
    assert not Task.objects.exists() and not TableMapping.objects.exists()


@pytest.fixture
def office(client, make_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(make_user("standing_office"))
    return client


@pytest.mark.django_db
def test_the_import_page_shows_held_tables_and_maps_them(office):
    response = office.post("/nhap-du-lieu/", {
        "file": SimpleUploadedFile(REPORT.name, REPORT.read_bytes())})
    upload = Upload.objects.get()
    assert upload.state == UploadState.READY
    page = office.get(response["Location"]).content.decode()
    assert page.count('class="held-table"') == 2
    assert "Bên thực thi" in page and "Hướng dẫn kết nối nền tảng định danh" in page
    # The guess is preselected: "TT" is the row number.
    assert '<option value="number" selected>' in page

    answer = office.post(f"/nhap-du-lieu/{upload.pk}/bang/", {
        "line": "81", "kind": "tasks", "col_0": "number", "col_1": "title",
        "col_2": "leads", "col_3": "deadline"})
    assert answer.status_code == 302
    upload.refresh_from_db()
    assert upload.state == UploadState.READY
    assert [h["line"] for h in upload.preview["files"][0]["held_tables"]] == [98]
    office.post(f"/nhap-du-lieu/{upload.pk}/bang/", {"line": "98", "kind": "skip"})
    upload.refresh_from_db()
    assert upload.preview["files"][0]["held_tables"] == []

    office.post(f"/nhap-du-lieu/{upload.pk}/nhap/")
    upload.refresh_from_db()
    assert upload.state == UploadState.IMPORTED
    task = Task.objects.get(title__startswith="Bổ sung kinh phí")
    assert task.assignments.get().organisation.slug == "bo-tai-chinh"
    mapping = TableMapping.objects.get(kind="tasks")
    assert mapping.created_by.username.startswith("standing_office")
    assert mapping.history.first().history_user == mapping.created_by


@pytest.mark.django_db
def test_a_wrong_mapping_on_the_page_is_refused_with_a_message(office):
    office.post("/nhap-du-lieu/", {"file": SimpleUploadedFile(REPORT.name,
                                                               REPORT.read_bytes())})
    upload = Upload.objects.get()
    page = office.post(f"/nhap-du-lieu/{upload.pk}/bang/", {"line": "81", "kind": "tasks"},
                       follow=True).content.decode()
    assert "không cột nào" in page.lower() or "no column" in page.lower()
    assert not TableMapping.objects.exists()
    page = office.post(f"/nhap-du-lieu/{upload.pk}/bang/", {"line": "7", "kind": "skip"},
                       follow=True).content.decode()
    assert not TableMapping.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("written", "value", "says"), [
    ("40% (12.480/19.141 hồ sơ)", Decimal("40"), "không khớp với tử số và mẫu số"),
    ("165,2% (19.141/12.480 hồ sơ)", Decimal("165.2"), "không phải là tỷ lệ phần trăm"),
])
def test_an_imported_rate_the_shared_rule_finds_impossible_is_kept_and_warned(
        tmp_path, written, value, says):
    """A document's number is a record of what it said: kept, but the import says what the
    rule agencies report by (reporting/validation.py) finds wrong with it, and where."""
    from django.utils import translation

    text = REPORT.read_text(encoding="utf-8").replace("65,2% (12.480/19.141 hồ sơ)", written)
    report = tmp_path / REPORT.name
    report.write_text(text, encoding="utf-8")
    with translation.override("vi"):
        summary = run_import([str(report)])
    rate = Observation.objects.get(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert rate.value == value
    warnings = [w for w in summary["files"][0]["warnings"] if says in w["message"]]
    assert len(warnings) == 1 and warnings[0]["line"] == 18, summary["files"][0]["warnings"]
    assert "Bắc Ninh" in warnings[0]["message"]
    assert "giữ nguyên như văn bản" in warnings[0]["message"]
