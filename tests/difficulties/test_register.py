"""The register of difficulties and proposals: its steps, pages, API, exports and the
reports' sections written from it."""

import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from giamsat.difficulties import workflow
from giamsat.difficulties.models import Difficulty, Responsibility, State
from giamsat.reports.builders import monthly_report

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(org):
    return workflow.raise_item(org("Hà Nội"), "Chưa có hướng dẫn kết nối dữ liệu đất đai",
                               "Đề nghị Bộ Nông nghiệp và Môi trường hướng dẫn",
                               period=D(2025, 9, 1), today=D(2025, 9, 20))


def test_an_item_goes_from_raised_to_resolved_when_every_agency_is_done(raised, org):
    ministry, office = org("Bộ Nông nghiệp và Môi trường"), org("Văn phòng Chính phủ")
    assert raised.state == State.RAISED and raised.raised_by == org("Hà Nội")
    workflow.accept(raised, [(ministry, "Ban hành hướng dẫn kết nối"), (office, "")],
                    deadline_text="Tháng 10/2025", today=D(2025, 9, 22))
    assert raised.state == State.ACCEPTED and raised.deadline_due == D(2025, 10, 31)
    assert {p.organisation: p.action for p in raised.responsibilities.all()} == {
        ministry: "Ban hành hướng dẫn kết nối", office: ""}
    workflow.report_done(raised, ministry, "Công văn số 12/BNNMT", on=D(2025, 10, 5))
    assert raised.state == State.HANDLING and raised.resolved_on is None
    workflow.report_done(raised, office, "Đã đôn đốc", on=D(2025, 10, 9))
    raised.refresh_from_db()
    assert raised.state == State.RESOLVED and raised.resolved_on == D(2025, 10, 9)
    assert "Công văn số 12/BNNMT" in raised.resolution
    assert list(raised.history.order_by("history_id").values_list("state", flat=True)) == [
        "raised", "accepted", "handling", "resolved"]


def test_refused_steps_change_nothing(raised, org):
    before = raised.history.count()
    with pytest.raises(workflow.Refused, match="at least one agency"):
        workflow.accept(raised, [])
    with pytest.raises(workflow.Refused, match="not understood"):
        workflow.accept(raised, [(org("Bộ Tư pháp"), "")], deadline_text="sớm nhất có thể")
    with pytest.raises(workflow.Refused):
        workflow.decline(raised, "  ")
    with pytest.raises(workflow.Refused):  # not assigned yet: nobody can report it done
        workflow.report_done(raised, org("Bộ Tư pháp"), "Xong")
    raised.refresh_from_db()
    assert raised.state == State.RAISED and raised.history.count() == before
    assert not Responsibility.objects.exists()
    workflow.accept(raised, [(org("Bộ Tư pháp"), "")])
    with pytest.raises(workflow.Refused, match="no part"):
        workflow.report_done(raised, org("Bộ Công an"), "Xong")
    workflow.decline(raised, "Không thuộc phạm vi Chương trình")
    with pytest.raises(workflow.Refused):
        workflow.close(raised, "Đã xong")
    assert Difficulty.objects.get().state == State.DECLINED


def test_a_duplicate_is_merged_with_its_agencies(raised, org):
    again = workflow.raise_item(org("Hải Phòng"), "Chưa có hướng dẫn kết nối dữ liệu đất đai")
    workflow.accept(again, [(org("Bộ Tư pháp"), "Rà soát")])
    workflow.merge(again, raised)
    assert again.state == State.MERGED and again.merged_into == raised
    assert list(raised.responsibilities.values_list("organisation__name", flat=True)) == [
        "Bộ Tư pháp"]
    with pytest.raises(workflow.Refused):
        workflow.merge(raised, raised)


def test_overdue_and_the_report_sections(raised, org):
    ministry = org("Bộ Nông nghiệp và Môi trường")
    workflow.accept(raised, [(ministry, "Hướng dẫn")], deadline_text="Tháng 9/2025",
                    today=D(2025, 9, 22))
    other = workflow.raise_item(org("Hà Nội"), "Thiếu kinh phí số hóa", today=D(2025, 9, 1))
    assert workflow.is_overdue(raised, D(2025, 10, 1)) and not workflow.is_overdue(
        other, D(2025, 10, 1))
    october = monthly_report(D(2025, 10, 1), as_of=D(2025, 10, 31), with_charts=False)
    assert october.figures["difficulties_open"] == 2
    assert october.figures["difficulties_overdue"] == 1
    # The register is the month's only appendix, so it is numbered 01.
    register = october.appendix("01")
    assert register.title == "DANH MỤC VƯỚNG MẮC, KIẾN NGHỊ CHƯA GIẢI QUYẾT XONG"
    assert any("(Phụ lục 01)" in getattr(b, "text", "") for b in october.blocks)
    rows = register.tables()[0].data_rows
    assert [r[1] for r in rows] == ["Chưa có hướng dẫn kết nối dữ liệu đất đai",
                                    "Thiếu kinh phí số hóa"]
    assert rows[0][3] == "Bộ Nông nghiệp và Môi trường" and "quá hạn" in rows[0][5]
    workflow.report_done(raised, ministry, "Đã ban hành hướng dẫn", on=D(2025, 11, 3))
    november = monthly_report(D(2025, 11, 1), as_of=D(2025, 11, 30), with_charts=False)
    text = "\n".join(getattr(b, "text", "") for b in november.blocks)
    assert ("+ Đã giải quyết: Chưa có hướng dẫn kết nối dữ liệu đất đai (Bộ Nông nghiệp "
            "và Môi trường, 03/11/2025).") in text
    assert november.figures["difficulties_resolved"] == 1
    # What Hà Nội proposed with it is in the September report's proposals section.
    september = monthly_report(D(2025, 9, 1), as_of=D(2025, 9, 30), with_charts=False)
    assert "- Hà Nội kiến nghị: Đề nghị Bộ Nông nghiệp và Môi trường hướng dẫn." in [
        getattr(b, "text", "") for b in september.blocks]
    assert november.figures["difficulties_open"] == 1
    # October, written again, still sees the item open: it was resolved in November.
    assert monthly_report(D(2025, 10, 1), as_of=D(2025, 10, 31), with_charts=False
                          ).figures["difficulties_open"] == 2


# Pages, API and exports ---------------------------------------------------------------

@pytest.fixture
def office(client, roles):
    client.force_login(roles["standing_office"])
    return client


def test_the_register_page_filters_and_the_item_page(office, raised, org):
    workflow.raise_item(org("Hải Phòng"), "Thiếu máy chủ", today=D(2025, 9, 2))
    page = office.get("/vuong-mac/").content.decode()
    assert 'data-metric="difficulty_count">2 ' in page
    page = office.get("/vuong-mac/", {"co_quan": "ha-noi"}).content.decode()
    assert "Chưa có hướng dẫn kết nối" in page and "Thiếu máy chủ" not in page
    page = office.get("/vuong-mac/", {"trang_thai": "resolved"}).content.decode()
    assert 'data-item=' not in page
    detail = office.get(f"/vuong-mac/{raised.pk}/").content.decode()
    assert 'data-step="accept"' in detail and "Hà Nội" in detail


def test_the_office_accepts_on_the_page_and_a_wrong_deadline_is_said(office, raised):
    response = office.post(f"/vuong-mac/{raised.pk}/tiep-nhan/",
                           {"agency": ["bo-tu-phap", "bo-cong-an"], "action": "Hướng dẫn",
                            "deadline": "khi nào xong"}, follow=True)
    assert "Không hiểu thời hạn “khi nào xong”" in response.content.decode()
    assert Difficulty.objects.get().state == State.RAISED
    office.post(f"/vuong-mac/{raised.pk}/tiep-nhan/",
                {"agency": ["bo-tu-phap", "bo-cong-an"], "action": "Hướng dẫn",
                 "deadline": "Quý IV/2025"})
    raised.refresh_from_db()
    assert raised.state == State.ACCEPTED and raised.deadline_due == D(2025, 12, 31)
    assert raised.responsibilities.count() == 2


def test_only_a_responsible_agency_reports_done(client, roles, raised, org):
    workflow.accept(raised, [(org("Hà Nội"), "Tự rà soát")])
    client.force_login(roles["other_reporter"])  # Tuyên Quang
    response = client.post(f"/vuong-mac/{raised.pk}/da-xu-ly/",
                           {"agency": "ha-noi", "resolution": "Xong"})
    assert response.status_code == 403
    client.force_login(roles["agency_reporter"])  # Hà Nội
    client.post(f"/vuong-mac/{raised.pk}/da-xu-ly/", {"agency": "ha-noi",
                                                      "resolution": "Đã rà soát"})
    raised.refresh_from_db()
    assert raised.state == State.RESOLVED


def test_api_and_exports(client, roles, raised, org):
    client.force_login(roles["agency_reporter"])  # Hà Nội
    response = client.post("/api/v1/difficulties/raised-by/ha-noi",
                           json.dumps({"problem": "Thiếu nhân lực CNTT", "period": "2025-10"}),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["raised_by"] == "ha-noi" and created["raised_for"] == "2025-10-01"
    refused = client.post("/api/v1/difficulties/raised-by/tuyen-quang",
                          json.dumps({"problem": "X"}), content_type="application/json")
    assert refused.status_code == 403
    listed = client.get("/api/v1/difficulties", {"organisation": "ha-noi"}).json()
    assert {i["id"] for i in listed["items"]} == {raised.pk, created["id"]}
    workflow.accept(raised, [(org("Hà Nội"), "Rà soát")])
    done = client.post(f"/api/v1/difficulties/{raised.pk}/done-by/ha-noi",
                       json.dumps({"resolution": "Đã rà soát", "on": "2025-10-02"}),
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "resolved"
    again = client.post(f"/api/v1/difficulties/{raised.pk}/done-by/ha-noi",
                        json.dumps({"resolution": "Lần nữa"}), content_type="application/json")
    assert again.status_code == 409
    rows = client.get("/api/export/difficulties.json").json()
    assert {r["id"] for r in rows} == {raised.pk, created["id"]}
    assert next(r for r in rows if r["id"] == raised.pk)["responsible_done"] == "ha-noi"
    sheet = load_workbook(io.BytesIO(client.get("/api/export/difficulties.xlsx").content)).active
    assert sheet.max_row == 3
    open_only = client.get("/api/export/difficulties.json", {"trang_thai": "dang-mo"}).json()
    assert [r["id"] for r in open_only] == [created["id"]]


def test_an_agency_raises_an_item_from_its_report_page(client, roles):
    client.force_login(roles["agency_reporter"])
    response = client.post("/cap-nhat/ha-noi/2025-10/vuong-mac/",
                           {"problem": "Thiếu chữ ký số cho cán bộ xã", "solution": "Cấp thêm"})
    assert response.status_code == 302 and response["Location"].endswith("#vuong-mac")
    item = Difficulty.objects.get()
    assert item.raised_for == D(2025, 10, 1) and item.solution == "Cấp thêm"
    page = client.get("/cap-nhat/ha-noi/2025-10/").content.decode()
    assert "Thiếu chữ ký số cho cán bộ xã" in page
    empty = client.post("/cap-nhat/ha-noi/2025-10/vuong-mac/", {"problem": " "}, follow=True)
    assert Difficulty.objects.count() == 1
    assert "Cần ghi vướng mắc." in empty.content.decode()


# The corpus: appendix 07 of the half-year report ---------------------------------------

@pytest.mark.corpus
def test_importing_004_fills_the_register_with_the_26_groups(imported_corpus):
    items = Difficulty.objects.filter(document__path__contains="004_")
    assert items.count() == 26 and set(items.values_list("state", flat=True)) == {
        State.ACCEPTED}
    assert all(item.tasks.count() == 1 for item in items)
    configured = items.get(problem__contains="chưa được cấu hình đúng")
    parts = {p.organisation.name: p.action for p in configured.responsibilities.all()}
    assert parts["Bộ Tư pháp"].startswith("Bộ Tư pháp nghiên cứu, xây dựng và ban hành")
    assert parts["Hà Nội"].startswith("UBND các tỉnh rà soát, cấu hình đúng")
    assert parts["Bộ Tư pháp"] != parts["Hà Nội"]
    assert configured.deadline_due == D(2025, 7, 24)
    assert all(p.action for p in Responsibility.objects.filter(difficulty__in=items))
    # The half-year report lists them as appendix 07, as the document does.
    from giamsat.reports.builders import half_year_report

    report = half_year_report(2025, 1, as_of=D(2025, 7, 18), with_charts=False)
    assert len(report.appendix("05").tables()[0].data_rows) == report.figures[
        "difficulties_open"] == 26
