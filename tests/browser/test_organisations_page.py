import re

from playwright.sync_api import expect

from tests.browser.conftest import login


def test_organisations_and_succession_in_a_browser(live_server, page, screenshot, make_user):
    make_user("viewer", username="xem")
    login(page, live_server.url, "xem")
    page.goto(live_server.url + "/co-quan/")
    # An English-language browser still gets the Vietnamese system.
    expect(page.locator("h1")).to_have_text("Cơ quan và quá trình sắp xếp")
    expect(page.locator("p.count")).to_have_text("22 cơ quan")
    screenshot("organisations-central")

    page.get_by_role("button", name="Địa phương").click()
    expect(page.locator("p.count")).to_have_text("34 cơ quan")
    page.locator("input[name=ngay]").fill("2025-08-01")
    page.get_by_label("Gồm cả cơ quan đã sắp xếp").check()
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("p.count")).to_have_text("98 cơ quan")
    former = page.locator("tr.former", has=page.get_by_role("link", name="Hà Giang", exact=True))
    expect(former).to_contain_text("Tuyên Quang")
    screenshot("organisations-provinces")

    former.get_by_role("link", name="Tuyên Quang").click()
    expect(page).to_have_url(re.compile(r"/co-quan/tuyen-quang/$"))
    expect(page.locator("dl.facts")).to_contain_text("Hà Giang (đến 30/06/2025)")
    screenshot("organisation-detail")

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("Tuyên Quang")
    expect(page.locator("dl.facts")).to_contain_text("Carries the tasks of")
