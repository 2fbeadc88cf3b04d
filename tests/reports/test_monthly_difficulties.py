"""The monthly report's "Khó khăn, vướng mắc các cơ quan báo cáo": each difficulty once,
with the agencies that reported it, as a clerk writes it."""

import datetime
import re

import pytest

from giamsat.reports.builders import monthly_report
from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update

D = datetime.date
pytestmark = pytest.mark.django_db


def approved_update(organisation, title: str, difficulties: str) -> Update:
    task = Task(title=title)
    task.set_deadline("31/12/2026")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=organisation, role=Role.LEAD)
    return Update.objects.create(assignment=assignment, period=D(2026, 11, 1),
                                 status="in_progress", difficulties=difficulties,
                                 review_state=ReviewState.APPROVED)


def test_each_difficulty_is_written_once_with_the_agencies_that_reported_it(org):
    bac_ninh, hue, ha_tinh = org("Bắc Ninh"), org("Huế"), org("Hà Tĩnh")
    for title in ("Số hóa hồ sơ", "Kết nối một cửa", "Nền tảng dữ liệu"):
        approved_update(bac_ninh, title, "Chưa bố trí đủ kinh phí.")
    approved_update(hue, "Số hóa hồ sơ của Huế", "chưa bố trí đủ  kinh phí")
    approved_update(ha_tinh, "Kết nối một cửa của Hà Tĩnh",
                     "Thiếu cán bộ chuyên trách công nghệ thông tin.")
    report = monthly_report(D(2026, 11, 1), as_of=D(2026, 11, 30), with_charts=False)
    text = [b.text for b in report.blocks if hasattr(b, "text")]
    start = next(i for i, t in enumerate(text)
                 if t.endswith("Khó khăn, vướng mắc các cơ quan báo cáo"))
    # In the agencies' order (Bắc Ninh before Hà Tĩnh): a difficulty comes where its first
    # agency would; the words as its first agency wrote them.
    assert text[start + 1:start + 3] == [
        "- Chưa bố trí đủ kinh phí (Bắc Ninh, Huế).",
        "- Hà Tĩnh: Thiếu cán bộ chuyên trách công nghệ thông tin."]
    assert not text[start + 3].startswith("- ")


def test_a_month_with_nothing_open_numbers_its_appendices_from_01(org):
    """No task due in the month is open, so the builder's appendix 01 has nothing to list:
    the next ones become 01, 02, … and the text points to them by their new numbers."""
    approved_update(org("Huế"), "Kế hoạch của Huế", "Thiếu kinh phí.")
    report = monthly_report(D(2026, 11, 1), as_of=D(2026, 11, 30), with_charts=False)
    numbers = [a.number for a in report.appendices]
    # Its only appendix, the coming month's tasks, is the builder's 03.
    assert numbers == ["01"] and report.appendices[0].title.startswith("DANH MỤC NHIỆM VỤ ĐẾN HẠN")
    text = " ".join(b.text for b in report.blocks if hasattr(b, "text"))
    for found in re.findall(r"Phụ lục (\d\d)", text):
        assert found in numbers
    sheets = [t.sheet for a in report.appendices for t in a.tables() if t.sheet]
    assert all(not s.startswith("PL") or s[2:4] in numbers for s in sheets)
