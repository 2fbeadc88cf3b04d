"""How things read on the pages: thousands grouped (8.743; 4.530/10.000), people named in
the audit trail, each month's value on its own tick of the chart, a report's state named
like a report's."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import translation

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.indicators.summary import indicator_card
from giamsat.reporting import workflow
from giamsat.tasks.models import Assignment, Role, Task
from giamsat.web.templatetags.giamsat import number, signed, value_in

D = datetime.date
JULY = D(2025, 7, 1)
IN_JULY = D(2025, 7, 20)


def test_numbers_are_grouped_by_thousands_in_both_languages():
    count = Indicator(unit="count")
    with translation.override("vi"):
        assert (number(8743), number(Decimal("4530.5")), number(1234567)) == \
            ("8.743", "4.530,50", "1.234.567")
        assert value_in(Decimal("16171976"), count) == "16.171.976"
        assert signed(Decimal("-12345")) == "−12.345"
    with translation.override("en"):
        assert (number(8743), number(Decimal("4530.5"))) == ("8,743", "4,530.50")


@pytest.fixture
def report(roles, org):
    """Hà Nội's July report with a rate (4.530 of 10.000) and a count, submitted."""
    sync_indicators()
    for user, name in ((roles["agency_leader"], "Lê Minh"),
                       (roles["standing_office"], "Trần Thị Thu")):
        user.first_name, user.last_name = "", name
        user.save()
    task = Task(title="Ban hành kế hoạch chuyển đổi số năm 2025")
    task.set_deadline("Tháng 9/2025")
    task.save()
    Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)
    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    count = Indicator.objects.filter(unit="count").order_by("code").first()
    reporter = roles["agency_reporter"]
    submission = workflow.start_report(org("Hà Nội"), JULY, reporter, today=IN_JULY)
    workflow.save_values(submission, [
        workflow.ValueInput(rate.pk, "value", Decimal("45.3"), 0, "45,3", Decimal(4530),
                            Decimal(10000)),
        workflow.ValueInput(count.pk, "value", Decimal(8743), 0, "8.743")], reporter,
        today=IN_JULY)
    submission.refresh_from_db()
    workflow.submit(submission, roles["agency_leader"], submission.version, today=IN_JULY)
    submission.refresh_from_db()
    return submission


def test_the_values_of_a_report_are_grouped(client, roles, report):
    client.force_login(roles["standing_office"])
    page = client.get(f"/duyet/{report.pk}/").content.decode()
    assert "4.530 / 10.000" in page and ">8.743<" in page and "45,3%" in page
    assert "4530" not in page and "8743" not in page


def test_the_audit_trail_names_people_and_writes_dates_as_people_do(client, roles, report):
    workflow.return_report(report, roles["standing_office"], report.version,
                           "Bổ sung minh chứng.")
    client.force_login(roles["agency_reporter"])
    page = client.get(f"/duyet/{report.pk}/").content.decode()
    history = page[page.index('class="list history"'):]
    changes = {}  # the newest change of each field: the log is newest first
    for label, after in re.findall(r"<strong>([^<]+)</strong>: <del>[^<]*</del> → "
                                   r"<ins>([^<]*)</ins>", history):
        changes.setdefault(label, after)
    assert changes["Người duyệt"] == "Trần Thị Thu"
    assert changes["Người gửi"] == "Lê Minh"
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", changes["Thời điểm duyệt"])
    assert changes["Trạng thái"] == "Bị trả lại để chỉnh sửa"
    for user in roles.values():  # no id of anybody
        assert f"<ins>{user.pk}</ins>" not in history
    # The facts say it was returned, not "reviewed" (which reads as approved).
    assert "<dt>Trả lại</dt>" in page


def test_a_report_not_begun_is_not_named_like_a_task(client, roles):
    client.force_login(roles["agency_reporter"])
    page = client.get("/cap-nhat/ha-noi/2025-07/").content.decode()
    state = re.search(r'data-metric="report_state">([^<]*)<', page).group(1)
    assert state == "Chưa lập báo cáo"  # not "Chưa triển khai", a task's status


def test_each_month_is_on_its_own_tick_of_the_chart(org, client, make_user):
    from giamsat.web.views.indicators import chart_data

    sync_indicators()
    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    hanoi = org("Hà Nội")
    for month, value in ((7, "43.1"), (8, "44.5")):
        Observation.objects.create(indicator=rate, organisation=hanoi,
                                   period=D(2025, month, 1), value=Decimal(value))
    Target.objects.create(indicator=rate, organisation=hanoi, period_start=D(2025, 8, 1),
                          period_end=D(2025, 8, 31), minimum=Decimal(48),
                          source=TargetSource.REGISTERED)
    Target.objects.create(indicator=rate, organisation=hanoi, period_end=D(2025, 12, 31),
                          minimum=Decimal(70), source=TargetSource.DIRECTIVE)
    as_of = D(2025, 9, 10)
    data = chart_data(rate, hanoi, indicator_card(rate, as_of, hanoi), as_of)
    (line,) = data["lines"]
    # A value for July (31/07) is drawn on July's tick, not beside August's.
    assert [p["date"] for p in line["points"]] == ["2025-07-01", "2025-08-01"]
    assert [p["date"] for p in data["registered"]] == ["2025-08-01"]
    assert data["target"]["date"] == "2025-12-01"
    assert [p["date"] for p in data["trend"]] == ["2025-08-01", "2025-12-01"]
    client.force_login(make_user("viewer"))
    page = client.get(f"/chi-tieu/{rate.code}/", {"co_quan": "ha-noi", "ngay": "10/09/2025"})
    shown = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)'
                                 r"</script>", page.content.decode(), re.S).group(1))
    assert shown["lines"][0]["points"][0] == {"date": "2025-07-01", "value": 43.1}
