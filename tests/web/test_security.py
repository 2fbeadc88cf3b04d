"""Login rate limiting, sessions, CSRF, security headers and upload limits."""

import importlib

import pytest
from django.test import Client


@pytest.fixture
def user(make_user):
    return make_user("viewer", username="canbo")


def login(client, password):
    return client.post("/dang-nhap/", {"username": "canbo", "password": password})


def test_login_works_and_is_refused_after_five_wrong_passwords(client, user):
    assert login(client, "mật-khẩu-thử-1").status_code == 302
    client.logout()
    for _ in range(4):
        response = login(client, "sai")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    locked = login(client, "sai")
    assert locked.status_code == 429 and "tạm khóa" in locked.content.decode()
    # Even the right password waits now.
    assert login(client, "mật-khẩu-thử-1").status_code == 429


def test_logout_is_a_post(client, user):
    client.force_login(user)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_forms_need_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/dang-nhap/", {"username": "canbo",
                                       "password": "mật-khẩu-thử-1"}).status_code == 403


def test_security_headers(client, user):
    client.force_login(user)
    response = client.get("/co-quan/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Language"] == "vi"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_production_defaults(monkeypatch):
    """With nothing set but the secret key: secure cookies, Django's password hasher."""
    monkeypatch.delenv("GIAMSAT_DEBUG", raising=False)
    monkeypatch.delenv("GIAMSAT_SECURE_COOKIES", raising=False)
    from giamsat import settings as production

    production = importlib.reload(production)
    try:
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.SESSION_COOKIE_HTTPONLY
        assert production.SESSION_COOKIE_SAMESITE == "Lax"
        assert not hasattr(production, "PASSWORD_HASHERS")  # Django's own (PBKDF2)
        assert production.AXES_FAILURE_LIMIT == 5
    finally:
        importlib.reload(production)


def test_an_oversized_upload_is_refused_before_it_is_read(client, make_user, settings):
    client.force_login(make_user("standing_office"))
    settings.MAX_REQUEST_MB = 1
    body = b"x" * (1024 * 1024 + 10)
    response = client.generic("POST", "/nhap-du-lieu/", body,
                              content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Tệp tải lên quá lớn" in response.content.decode()
