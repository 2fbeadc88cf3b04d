"""The monthly report's "Khó khăn, vướng mắc các cơ quan báo cáo": each difficulty once,
with the agencies that reported it, as a clerk writes it."""

import datetime

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
