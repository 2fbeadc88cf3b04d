import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from giamsat.orgs.models import Organisation


def test_organisation_list_is_vietnamese_by_default(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in page and "Cơ quan và quá trình sắp xếp" in page
    assert "22 cơ quan" in page and page.index("Bộ Quốc phòng") < page.index("Bộ Công an")


def test_english_on_request(client, db):
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "Organisations and their succession" in page


@pytest.mark.parametrize(
    ("query", "count", "present", "absent"),
    [
        ({"nhom": "provinces", "ngay": "2025-08-01"}, 34, "Tuyên Quang", "Hà Giang"),
        ({"nhom": "provinces", "ngay": "2025-05-01"}, 63, "Hà Giang", "Thừa Thiên Huế"),
        ({"nhom": "provinces", "ngay": "2025-08-01", "ca_giai_the": "1"}, 98, "Hà Giang", None),
        ({"nhom": "central", "ngay": "2025-01-15"}, 29, "Bộ Thông tin và Truyền thông", None),
        ({"nhom": "nonsense", "ngay": "not-a-date"}, 22, "Bộ Công an", None),
    ],
)
def test_organisation_list_filters(client, db, query, count, present, absent):
    page = client.get("/", query).content.decode()
    assert f"{count} cơ quan" in page and present in page
    if absent:
        assert f">{absent}</a>" not in page


def test_former_province_shows_its_successor(client, db):
    page = client.get("/", {"nhom": "provinces", "ngay": "2025-08-01", "ca_giai_the": "1"})
    assert "→</span> <a href=\"/co-quan/tuyen-quang/\">Tuyên Quang</a>" in page.content.decode()


def test_detail_shows_history_and_events(client, db):
    url = reverse("web:organisation", args=["bo-khoa-hoc-va-cong-nghe"])
    page = client.get(url).content.decode()
    assert "Bộ Thông tin và Truyền thông (đến 28/02/2025)" in page
    assert "Nghị quyết số 176/2025/QH15" in page and "Lịch sử thay đổi" in page
    assert client.get("/co-quan/khong-co/").status_code == 404


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


def test_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Language"] == "vi"
    assert datetime.date.today()  # the page renders with today's date by default
