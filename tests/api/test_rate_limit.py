"""The API's rate limit holds under parallel callers: a real server, eight threads at once,
exactly the limit answered and the rest refused with the API's error shape."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from giamsat.api import ratelimit
from giamsat.api.tokens import create_token

LIMIT = 50
THREADS, EACH = 8, 10
MINUTE = 29_000_000  # a fixed minute (since the epoch), so that no test straddles two


@pytest.fixture
def limit_of_50(settings, monkeypatch):
    settings.API_RATE_PER_MINUTE = LIMIT
    clock = {"minute": MINUTE}
    monkeypatch.setattr(ratelimit, "current_minute", lambda: clock["minute"])
    return clock


def get(url: str, secret: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.load(error)


def hammer(url: str, secret: str) -> list[tuple[int, dict, dict]]:
    """THREADS threads, EACH requests each, all started together."""
    answers, lock = [], threading.Lock()
    start = threading.Barrier(THREADS)

    def caller():
        start.wait()
        for _ in range(EACH):
            answer = get(url, secret)
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=caller) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_parallel_callers_get_exactly_the_limit(live_server, limit_of_50):
    _token, secret = create_token("Hệ thống song song", "viewer")
    answers = hammer(live_server.url + "/api/v1/directives", secret)
    statuses = [status for status, _headers, _body in answers]
    assert len(answers) == THREADS * EACH
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == THREADS * EACH - LIMIT
    for status, headers, body in answers:
        if status == 429:
            assert set(body) == {"error"}
            assert set(body["error"]) == {"code", "message", "details"}
            assert body["error"]["code"] == "throttled" and body["error"]["details"] == []
            assert int(headers["Retry-After"]) >= 1
    # Another caller has a count of its own; the next minute starts again at zero.
    _other, other_secret = create_token("Hệ thống khác", "viewer")
    assert get(live_server.url + "/api/v1/directives", other_secret)[0] == 200
    limit_of_50["minute"] += 1
    assert get(live_server.url + "/api/v1/directives", secret)[0] == 200


def test_a_callers_old_minutes_are_not_kept(transactional_db, limit_of_50):
    for _ in range(3):
        ratelimit.count_request("user:1")
    limit_of_50["minute"] += 1
    assert ratelimit.count_request("user:1") == 1
    assert ratelimit.count_request("user:2") == 1
    assert sorted(ratelimit.RequestCount.objects.values_list("caller", "minute")) == [
        ("user:1", MINUTE + 1), ("user:2", MINUTE + 1)]
