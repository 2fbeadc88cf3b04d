"""The pages, read through Django's test client: language, content, the same numbers."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from giamsat.indicators.models import Indicator
from giamsat.indicators.summary import agency_table, indicator_cards
from giamsat.orgs.models import Organisation
from giamsat.tasks.models import Task
from giamsat.tasks.queries import status_summary, summary_by_agency
from tests.web.partitions import add_up, check_partitions

D = datetime.date


@pytest.fixture
def viewer(client, make_user):
    client.force_login(make_user("viewer"))
    return client


def metric(page: str, name: str) -> str:
    match = re.search(rf'data-metric="{name}">([^<]*)<', page)
    assert match, f"no {name} on the page"
    return match.group(1)


def test_vietnamese_by_default_even_for_an_english_browser(viewer):
    page = viewer.get("/co-quan/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Cơ quan và quá trình sắp xếp" in page
    assert "22 cơ quan" in page and page.index("Bộ Quốc phòng") < page.index("Bộ Công an")
    assert ">Tổng quan</a>" in page and ">Nhiệm vụ</a>" in page and ">Chỉ tiêu</a>" in page


def test_english_on_request(viewer):
    viewer.cookies["django_language"] = "en"
    page = viewer.get("/co-quan/").content.decode()
    assert "Organisations and their succession" in page and ">Overview</a>" in page


@pytest.mark.parametrize(
    ("query", "count", "present", "absent"),
    [
        ({"nhom": "provinces", "ngay": "01/08/2025"}, 34, "Tuyên Quang", "Hà Giang"),
        ({"nhom": "provinces", "ngay": "2025-05-01"}, 63, "Hà Giang", "Thừa Thiên Huế"),
        ({"nhom": "provinces", "ngay": "01/08/2025", "ca_giai_the": "1"}, 98, "Hà Giang", None),
        ({"nhom": "central", "ngay": "15/01/2025"}, 29, "Bộ Thông tin và Truyền thông", None),
        ({"nhom": "nonsense"}, 22, "Bộ Công an", None),
    ],
)
def test_organisation_list_filters(viewer, query, count, present, absent):
    page = viewer.get("/co-quan/", query).content.decode()
    assert f"{count} cơ quan" in page and present in page
    if absent:
        assert f">{absent}</a>" not in page


def test_an_unreadable_date_is_said_and_today_shown(viewer):
    page = viewer.get("/co-quan/", {"ngay": "31/02/2025"}).content.decode()
    assert "Không đọc được ngày đã nhập" in page and "22 cơ quan" in page


def test_former_province_shows_its_successor(viewer):
    page = viewer.get("/co-quan/", {"nhom": "provinces", "ngay": "01/08/2025",
                                    "ca_giai_the": "1"}).content.decode()
    assert "→</span> <a href=\"/co-quan/tuyen-quang/\">Tuyên Quang</a>" in page


def test_scorecard_shows_history_and_events(viewer):
    url = reverse("web:organisation", args=["bo-khoa-hoc-va-cong-nghe"])
    page = viewer.get(url).content.decode()
    assert "Bộ Thông tin và Truyền thông (đến 28/02/2025)" in page
    assert "Nghị quyết số 176/2025/QH15" in page and "Lịch sử thay đổi" in page
    assert "nhiệm vụ chủ trì" in page
    assert viewer.get("/co-quan/khong-co/").status_code == 404


def test_scorecard_lists_missed_targets_first_and_all_on_request(viewer):
    from giamsat.indicators.models import Observation, Target

    org = Organisation.objects.get(slug="bo-y-te")
    for number in range(32):
        indicator = Indicator.objects.create(code=f"ct-{number:02}", name=f"Chỉ tiêu {number:02}",
                                             unit="percent")
        Observation.objects.create(indicator=indicator, organisation=org,
                                   period=D(2025, 5, 1), value=40)
        if number == 31:  # the last one missed the target it registered
            Target.objects.create(indicator=indicator, organisation=org,
                                  period_start=D(2025, 5, 1), period_end=D(2025, 5, 31),
                                  minimum=50, source="registered")
    url = reverse("web:organisation", args=["bo-y-te"])
    page = viewer.get(url, {"ngay": "30/06/2025"}).content.decode()
    assert page.count('data-label="Chỉ tiêu"><a href="/chi-tieu/ct-') == 30
    assert "Đang hiển thị 30 trên 32 chỉ tiêu" in page
    assert page.index("Chỉ tiêu 31") < page.index("Chỉ tiêu 00")  # not met: first
    page = viewer.get(url, {"ngay": "30/06/2025", "chi_tieu": "tat-ca"}).content.decode()
    assert page.count('data-label="Chỉ tiêu"><a href="/chi-tieu/ct-') == 32
    assert "Đang hiển thị" not in page


def test_admin_change_records_who_made_it(client, db):
    user = get_user_model().objects.create_superuser("office", password="x" * 12)
    client.force_login(user)
    org = Organisation.objects.get(slug="bo-y-te")
    url = reverse("admin:orgs_organisation_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {name: (form[name].value() if form[name].value() is not None else "")
            for name in form.fields}
    data.update({"notes": "Đầu mối: Cục CNTT", "aliases-TOTAL_FORMS": 0,
                 "aliases-INITIAL_FORMS": 0, "valid_from": "", "valid_to": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = org.history.first()
    assert latest.history_user == user and latest.notes == "Đầu mối: Cục CNTT"
    assert latest.prev_record.notes == ""
    page = client.get(reverse("web:organisation", args=["bo-y-te"])).content.decode()
    assert "<td data-label=\"Người thực hiện\">office</td>" in page
    assert "<strong>Ghi chú</strong>: <del>—</del> → <ins>Đầu mối: Cục CNTT</ins>" in page


def test_a_task_list_search_without_diacritics(viewer, org):
    task = Task.objects.create(title="Kết nối cơ sở dữ liệu quốc gia về dân cư")
    task.assignments.create(organisation=org("Bộ Công an"))
    Task.objects.create(title="Một nhiệm vụ khác")
    page = viewer.get("/nhiem-vu/", {"q": "bo cong an"}).content.decode()
    assert metric(page, "task_count") == "1 nhiệm vụ" and "Kết nối cơ sở dữ liệu" in page
    page = viewer.get("/nhiem-vu/", {"han_den": "30/02/2025"}).content.decode()
    assert "“30/02/2025” không phải là ngày" in page


def test_the_dashboard_tiles_add_up_with_a_task_due_that_very_day(viewer, org):
    """Due = completed on time + completed late + overdue + due today, not yet done."""
    for deadline, done in (("30/06/2025", None), ("15/06/2025", None),
                           ("15/06/2025", D(2025, 6, 10)), ("15/06/2025", D(2025, 6, 20)),
                           ("31/07/2025", None)):
        task = Task(title=f"Nhiệm vụ hạn {deadline}")
        task.set_deadline(deadline)
        task.save()
        task.assignments.create(organisation=org("Hà Nội"), role="lead", completed_on=done)
    page = viewer.get("/", {"ngay": "30/06/2025"}).content.decode()
    tiles = {name: int(metric(page, name).replace(".", ""))
             for name in ("due_total", "due_on_time", "due_late", "overdue", "due_today")}
    assert tiles == {"due_total": 4, "due_on_time": 1, "due_late": 1, "overdue": 1,
                     "due_today": 1}
    assert "đến hạn hôm nay, chưa hoàn thành" in page


# The corpus, imported once for the rest of this module ----------------------------------

AS_OF = D(2025, 7, 18)


@pytest.mark.corpus
def test_the_dashboard_shows_the_domain_numbers(viewer, imported_corpus):
    page = viewer.get("/", {"ngay": "18/07/2025"}).content.decode()
    summary = status_summary(Task.objects.all(), AS_OF)
    assert metric(page, "total") == f"{summary.total:,}".replace(",", ".")
    assert metric(page, "due_total") == str(summary.due_total)
    assert metric(page, "due_on_time") == str(summary.due["completed_on_time"])
    assert metric(page, "due_late") == str(summary.due["completed_late"])
    assert metric(page, "overdue") == str(summary.due["overdue"])
    assert metric(page, "recurring") == str(summary.counts["recurring"])
    assert metric(page, "not_yet_due") == str(summary.not_yet_due)
    due_today = int(metric(page, "due_today")) if summary.due_today else 0
    assert summary.due_total == (summary.due["completed_on_time"] + summary.due["completed_late"]
                                 + summary.due["overdue"] + due_today)
    share = f"{100 * summary.due_completed / summary.due_total:.1f}".replace(".", ",")
    assert f"đã hoàn thành {summary.due_completed} nhiệm vụ (tương ứng {share}%)" in page
    # Every agency row shows its own counts from summary_by_agency.
    for row in summary_by_agency(AS_OF):
        if row.due_total:
            cells = re.search(rf'data-org="{row.organisation.slug}">.*?</tr>', page, re.S)
            assert cells, row.organisation.name
            numbers = re.findall(r'class="num"[^>]*>([^<]*)<', cells.group(0))
            assert numbers[:3] == [str(row.due_total), str(row.due_completed),
                                   str(row.overdue)], row.organisation.name
    cards = [c for c in indicator_cards(AS_OF) if c.latest is not None]
    assert page.count('class="card ') == len(cards)


@pytest.mark.corpus
def test_the_corpus_dashboard_sums_at_30_06_2025(viewer, imported_corpus):
    """The day the issue saw 86 due but 23 + 30 shown: every tile set, area row and agency
    row adds up, and so does the scorecard of every agency with something due that day."""
    page = viewer.get("/", {"ngay": "30/06/2025"}).content.decode()
    partitions = check_partitions(page, {"tiles", "area", "agency", "all-areas"})
    (tiles,) = [p for p in partitions if p.name == "tiles"]
    (footer,) = [p for p in partitions if p.name == "all-areas"]
    assert tiles.parts["due"].get("due_today", 0) > 0  # the day itself has its tile
    assert add_up([p for p in partitions if p.name == "area"]) == footer.numbers()
    assert footer.totals == {"tasks": tiles.totals["tasks"], "due": tiles.totals["due"]}
    agencies = [p for p in partitions if p.name == "agency"]
    for row in [p for p in agencies if p.parts["due"].get("due_today")] + agencies[:3]:
        card = viewer.get(f"/co-quan/{row.org}/", {"ngay": "30/06/2025"}).content.decode()
        (lead,) = check_partitions(card, {"lead"})
        assert lead.totals == row.totals and lead.parts == row.parts, row.org


@pytest.mark.corpus
def test_the_indicator_page_answers_who_met_the_june_target(viewer, imported_corpus):
    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    page = viewer.get(f"/chi-tieu/{rate.code}/", {"ngay": "18/07/2025",
                                                  "thang": "2025-06"}).content.decode()
    table = agency_table(rate, [D(2025, 6, 1)])
    assert [o.name for o in table.met(D(2025, 6, 1))] == ["Bộ Nội vụ"]
    assert "Có 1 cơ quan đạt chỉ tiêu đã đăng ký tháng 06/2025: Bộ Nội vụ." in page
    assert 'id="province-map"' in page and "map-data" in page


@pytest.mark.corpus
def test_every_page_renders_for_the_corpus(viewer, imported_corpus):
    task = Task.objects.order_by("pk").first()
    for url in ["/", "/nhiem-vu/?trang_thai=overdue", f"/nhiem-vu/{task.pk}/", "/chi-tieu/",
                "/co-quan/bo-khoa-hoc-va-cong-nghe/?ngay=18/07/2025",
                "/co-quan/ha-giang-truoc-2025-07/?ngay=18/07/2025",
                "/nhiem-vu/?co_quan=bo-khoa-hoc-va-cong-nghe&vai_tro=lead&trang=2",
                "/xep-hang/", "/xep-hang/?thang=04/2025&ngay=18/07/2025"]:
        assert viewer.get(url).status_code == 200, url


@pytest.mark.corpus
def test_the_april_report_and_the_scorecards_name_the_same_agencies(viewer, imported_corpus):
    """The "21 cơ quan chưa đăng ký" of the April 2025 report (000, line 901) is stored
    once; the monthly report's sentence, the scorecards, the indicator page, the API and
    the export all name the same 21 agencies."""
    from giamsat.ingest.models import Shortfall
    from giamsat.reports.builders import monthly_report

    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    stored = Shortfall.objects.filter(indicator=rate)
    named = {s.organisation.name for s in stored}
    assert len(named) == 21 and {"Hà Nội", "Sóc Trăng", "Bộ Công an"} <= named
    report = monthly_report(D(2025, 4, 1), as_of=D(2025, 4, 30), with_charts=False)
    sentence = next(b.text for b in report.blocks
                    if getattr(b, "text", "").startswith("- Còn 21 cơ quan chưa đăng ký"))
    assert set(sentence.split(": ", 1)[1].rstrip(".").split("; ")) == named
    assert report.figures["not_registered"] == {rate.code: 21}
    for shortfall in stored:
        page = viewer.get(f"/co-quan/{shortfall.organisation.slug}/").content.decode()
        assert 'id="nhac-ten"' in page and shortfall.statement in page, \
            shortfall.organisation.name
    untouched = viewer.get("/co-quan/bo-khoa-hoc-va-cong-nghe/").content.decode()
    assert 'id="nhac-ten"' not in untouched  # BKHCN registered: it is named nowhere
    page = viewer.get(f"/chi-tieu/{rate.code}/").content.decode()
    assert page.count('data-table="shortfalls"') == 1
    assert all(name in page for name in named)
    api = viewer.get("/api/v1/shortfalls", {"indicator": rate.code}).json()
    assert {row["organisation"] for row in api["items"]} == {
        s.organisation.slug for s in stored}
    export = viewer.get(f"/api/export/shortfalls.json?chi_tieu={rate.code}").json()
    assert {row["organisation"] for row in export} == named
    # A merged successor shows its predecessor's naming (Hà Nam → Ninh Bình on 01/07/2025).
    ninh_binh = viewer.get("/co-quan/ninh-binh/?ngay=01/08/2025").content.decode()
    assert "Hà Nam" in ninh_binh and 'id="nhac-ten"' in ninh_binh


@pytest.mark.corpus
def test_the_april_report_gives_the_blocs_figures_of_the_document(viewer, imported_corpus):
    """000 (April 2025): "các bộ, ngành đạt trung bình 51,82%; các địa phương đạt trung bình
    14,58%", with the blocs' targets of 001 (85% and 70%); page and API say the same."""
    from giamsat.reports.builders import monthly_report

    report = monthly_report(D(2025, 4, 1), as_of=D(2025, 4, 30), with_charts=False)
    text = "\n".join(getattr(block, "text", "") for block in report.blocks)
    assert ("Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng hồ sơ giải quyết TTHC: 39,46% (so "
            "với tháng 3 là 38,72%). Trong đó, khối bộ, ngành đạt 51,82% (mục tiêu 85%); "
            "khối địa phương đạt 14,58% (mục tiêu 70%).") in text
    assert "Trong đó, khối bộ, ngành đạt 43,09%; khối địa phương đạt 50,6%." in text
    page = viewer.get("/chi-tieu/ho-so-truc-tuyen-toan-trinh/", {"thang": "2025-04"})
    assert 'data-bloc="khoi-bo-nganh"' in page.content.decode()
    blocs = viewer.get("/api/v1/indicators/ho-so-truc-tuyen-toan-trinh/blocs",
                       {"period": "2025-04"}).json()
    assert {(b["bloc"], b["value"], b["source"], b["target"]) for b in blocs} == {
        ("khoi-bo-nganh", "51.8200", "document", "85.0000"),
        ("khoi-dia-phuong", "14.5800", "document", "70.0000")}
