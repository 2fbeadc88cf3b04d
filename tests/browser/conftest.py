"""Browser tests: Playwright driving the system Chromium (its own download cannot work here)."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the database calls the tests
# make between page actions are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GIAMSAT_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Chromium flags for a closed network: no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="en-US",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """screenshot("organisations") → test-artifacts/screenshots/organisations-phone.png"""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}-{page.viewport_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def registry(transactional_db):
    """live_server's database is emptied after each test: load the registry again."""
    from giamsat.orgs.reference import load_reference

    load_reference()


@pytest.fixture(autouse=True)
def background_jobs(settings, registry):
    """In the browser imports and reports run as in production: background jobs in the
    database queue, taken by a worker holding its lock (here a thread of this process,
    django-tasks' worker loop as `giamsat worker` runs it)."""
    import threading

    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    from giamsat import jobs

    settings.JOBS_INLINE = False
    lock = jobs.WorkerLock()
    worker = Worker(queue_names=["default"], interval=0.2, batch=False,
                    backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id=lock.acquire(), excluded_queue_names=[])

    def run():
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="job-worker", daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(120)
    lock.release()


@pytest.fixture
def new_page(browser):
    """new_page("phone") → a page in a fresh browser context (its own cookies: one user)."""
    contexts = []

    def make(viewport: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-US",
                                      timezone_id="Asia/Ho_Chi_Minh")
        contexts.append(context)
        page = context.new_page()
        page.viewport_name = viewport
        page.problems = []
        # A blocked script or style (CSP) or a failed request is a defect of the page.
        page.on("console", lambda m: page.problems.append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, base_url: str, username: str, password: str = "mật-khẩu-thử-1") -> None:
    page.goto(base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
