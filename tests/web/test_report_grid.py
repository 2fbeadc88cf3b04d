"""The report page's grids: refused as a whole with the row named in Vietnamese and what was
typed kept; untouched rows left alone; and the web and the API accept and refuse the same
values (one rule, reporting/validation.py)."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from giamsat.api.tokens import create_token
from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator
from giamsat.reporting import workflow
from giamsat.reporting.models import ReportedValue, Submission
from giamsat.tasks.models import Assignment, Role, Task, Update
from giamsat.web.report_forms import amount_text, fingerprint

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2025, 7, 20, 10, 0))
PAGE = "/cap-nhat/ha-noi/2025-07/"
RATE, COUNT, RANK, MONEY, INDEX = ("ho-so-truc-tuyen-toan-trinh", "chung-thu-chu-ky-so",
                                   "xep-hang-itu", "doanh-thu-cong-nghiep-cntt",
                                   "toc-do-bang-rong-di-dong")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(db, org, roles):
    sync_indicators()
    hanoi = org("Hà Nội")
    assignments = []
    for title in ("Ban hành kế hoạch chuyển đổi số", "Kết nối hệ thống một cửa điện tử",
                  "Số hóa hồ sơ thủ tục hành chính"):
        task = Task(title=title)
        task.set_deadline("Tháng 7/2025")
        task.save()
        assignments.append(Assignment.objects.create(task=task, organisation=hanoi,
                                                     role=Role.LEAD))
    reporter = Client()
    reporter.force_login(roles["agency_reporter"])
    _token, secret = create_token("Hệ thống Hà Nội", "agency_leader", hanoi)
    return {"assignments": assignments, "web": reporter, "roles": roles,
            "api": Client(HTTP_AUTHORIZATION=f"Bearer {secret}"),
            "indicators": {i.code: i for i in Indicator.objects.all()}}


def task_rows(assignments, rows: dict[int, dict]) -> dict:
    """The task grid as the page sends it; rows: {index: typed fields}."""
    data = {"tasks-TOTAL_FORMS": str(len(assignments)),
            "tasks-INITIAL_FORMS": str(len(assignments))}
    for i, assignment in enumerate(assignments):
        data.update({f"tasks-{i}-assignment": assignment.pk, f"tasks-{i}-version": "0",
                     f"tasks-{i}-shown": fingerprint("", "", "", "")})
        for name, value in rows.get(i, {}).items():
            data[f"tasks-{i}-{name}"] = value
    return data


def value_rows(indicators, rows: list[dict]) -> dict:
    data = {"values-TOTAL_FORMS": str(len(rows)), "values-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        data.update({f"values-{i}-indicator": indicators[row.pop("code")].pk,
                     f"values-{i}-value_version": "0", f"values-{i}-target_version": "0"})
        data.update({f"values-{i}-{name}": value for name, value in row.items()})
    return data


def test_the_month_is_saved_in_one_go_and_untouched_rows_are_left_alone(scene):
    first, _second, third = scene["assignments"]
    response = scene["web"].post(PAGE + "nhiem-vu/", task_rows(scene["assignments"], {
        0: {"status": "completed", "completed_on": "15072025",
            "evidence": "Kế hoạch số 12/KH-UBND ngày 15/7/2025", "result": "Đã ban hành."},
        2: {"status": "in_progress", "result": "Đã số hóa 40%."}}))
    assert response.status_code == 302
    updates = {u.assignment_id: u for u in Update.objects.all()}
    assert set(updates) == {first.pk, third.pk}  # the untouched row made no empty update
    assert updates[first.pk].completed_on == D(2025, 7, 15)
    page = scene["web"].get(response["Location"]).content.decode()
    assert "Đã lưu nháp 2 cập nhật nhiệm vụ." in page
    assert 'value="15/07/2025"' in page


def test_a_refused_grid_names_the_row_in_vietnamese_keeps_what_was_typed_saves_nothing(
        scene):
    response = scene["web"].post(PAGE + "nhiem-vu/", task_rows(scene["assignments"], {
        0: {"status": "in_progress", "result": "Đang dự thảo kế hoạch."},
        1: {"status": "completed", "completed_on": "27.07.2025"},
        2: {"status": "completed", "completed_on": "31/02/2025", "evidence": "QĐ 1"}}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu các nhiệm vụ" in page
    assert "Dòng 2 (Kết nối hệ thống một cửa điện tử) — Ngày hoàn thành: Ngày hoàn thành " \
           "27/07/2025 là ngày trong tương lai." in page
    assert "Dòng 2 (Kết nối hệ thống một cửa điện tử) — Văn bản minh chứng:" in page
    assert "Dòng 3 (Số hóa hồ sơ thủ tục hành chính) — Ngày hoàn thành: “31/02/2025” " \
           "không phải là ngày" in page
    assert "Đang dự thảo kế hoạch.</textarea>" in page and 'value="27.07.2025"' in page
    assert not Update.objects.exists() and not Submission.objects.exists()


def test_a_row_someone_else_saved_meanwhile_is_a_conflict_and_nothing_is_saved(scene):
    first, second, _third = scene["assignments"]
    report = workflow.start_report(first.organisation, D(2025, 7, 1),
                                   scene["roles"]["agency_leader"])
    workflow.save_update(report, second, workflow.UpdateInput("in_progress", result="Lãnh "
                                                              "đạo đã sửa."), 0,
                         scene["roles"]["agency_leader"])
    response = scene["web"].post(PAGE + "nhiem-vu/", task_rows(scene["assignments"], {
        0: {"status": "in_progress", "result": "Mới."},
        1: {"status": "not_started"}}))  # opened at version 0, before the leader saved
    assert response.status_code == 409
    page = response.content.decode()
    assert "Dòng 2 (Kết nối hệ thống một cửa điện tử):" in page and "agency_leader" in page
    assert list(Update.objects.values_list("assignment_id", "result")) == [
        (second.pk, "Lãnh đạo đã sửa.")]


@pytest.mark.parametrize(("row", "says"), [
    ({"code": RATE, "value": "40", "numerator": "4,530", "denominator": "10,000"},
     "40 không khớp với tử số và mẫu số: 4,53 / 10 là 45,3%."),
    ({"code": RANK, "value": "-5"}, "không phải là thứ hạng"),
    ({"code": RANK, "value": "12345678901234567"}, "quá lớn: tối đa 11 chữ số"),
    ({"code": COUNT, "value": "12,5"}, "không phải là số lượng"),
    ({"code": RATE, "value": "101"}, "không phải là tỷ lệ phần trăm từ 0 đến 100"),
    ({"code": RATE, "value": "45,3", "target": "45,12345"}, "hơn 4 chữ số sau dấu phẩy"),
])
def test_the_values_the_issue_found_are_refused_on_the_web_as_by_the_api(scene, row, says):
    code = row["code"]
    response = scene["web"].post(PAGE + "chi-tieu/", value_rows(scene["indicators"],
                                                                [dict(row)]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu các số liệu" in page and says in page
    assert f"Dòng 1 ({scene['indicators'][code].name[:80]})" in page
    assert f'value="{row["value"]}"' in page  # kept as typed
    assert not ReportedValue.objects.exists()
    api = scene["api"].post("/api/v1/agency-reports/ha-noi/2025-07/bulk", json.dumps({
        "idempotency_key": "k1", "values": [{"indicator": code, **{
            k: str(read(v)) for k, v in row.items() if k in ("value", "numerator",
                                                               "denominator")}}],
        "targets": [{"indicator": code, "value": str(read(row["target"]))}]
        if "target" in row else []}), content_type="application/json")
    assert api.status_code == 400, api.content
    assert says in json.dumps(api.json(), ensure_ascii=False)  # in the same words


def read(text: str) -> Decimal:
    from giamsat.reporting.validation import read_amount

    return read_amount(text)[0]


# The web and the API: the same inputs accepted and refused -------------------------------

AMOUNTS = st.one_of(
    st.none(),
    st.sampled_from([Decimal(t) for t in ("0", "1", "45.3", "100", "100.01", "-5", "4.53",
                                          "10", "0.5", "12345678901234567",
                                          "9999999999999999", "99999999999.9999",
                                          "1.23456", "4530")]),
    st.builds(lambda digits, places: Decimal(digits).scaleb(-places),
              st.integers(-10**18, 10**18), st.integers(0, 6)),
)


def web_outcome(scene, code, value, numerator, denominator, target):
    row = {"code": code, "value": amount_text(value), "numerator": amount_text(numerator),
           "denominator": amount_text(denominator), "target": amount_text(target)}
    with transaction.atomic():
        response = scene["web"].post(PAGE + "chi-tieu/", value_rows(scene["indicators"],
                                                                    [row]))
        assert response.status_code in (302, 400), response.status_code
        kept = sorted(ReportedValue.objects.values_list("kind", "value", "numerator",
                                                        "denominator"))
        transaction.set_rollback(True)
    return response.status_code == 302, kept


def api_outcome(scene, code, value, numerator, denominator, target):
    entry = {"indicator": code, **{name: str(number) for name, number in (
        ("value", value), ("numerator", numerator), ("denominator", denominator))
        if number is not None}}
    body = {"idempotency_key": uuid.uuid4().hex, "values": [entry],
            "targets": [] if target is None else [{"indicator": code, "value": str(target)}]}
    with transaction.atomic():
        response = scene["api"].post("/api/v1/agency-reports/ha-noi/2025-07/bulk",
                                     json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 400, 422), response.content[:300]
        kept = sorted(ReportedValue.objects.values_list("kind", "value", "numerator",
                                                        "denominator"))
        transaction.set_rollback(True)
    return response.status_code == 200, kept


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(code=st.sampled_from([RATE, COUNT, RANK, MONEY, INDEX]), value=AMOUNTS,
       numerator=AMOUNTS, denominator=AMOUNTS, target=AMOUNTS)
@example(code=RATE, value=Decimal(40), numerator=Decimal("4.53"), denominator=Decimal(10),
         target=None)
@example(code=RATE, value=Decimal(45), numerator=Decimal(453), denominator=Decimal(1000),
         target=Decimal(50))
@example(code=RANK, value=Decimal(-5), numerator=None, denominator=None, target=None)
@example(code=RANK, value=Decimal("12345678901234567"), numerator=None, denominator=None,
         target=None)
def test_the_web_and_the_api_accept_and_refuse_the_same_values(scene, settings_api, code,
                                                               value, numerator,
                                                               denominator, target):
    # With nothing typed the web removes the entry and the API asks for a value.
    assume(value is not None or numerator is not None or denominator is not None)
    web = web_outcome(scene, code, value, numerator, denominator, target)
    api = api_outcome(scene, code, value, numerator, denominator, target)
    assert web[0] == api[0], (web, api)
    if web[0]:
        assert web[1] == api[1]  # and keep the same numbers


@pytest.fixture
def settings_api(settings):
    settings.API_RATE_PER_MINUTE = 100_000
