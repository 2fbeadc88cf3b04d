from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from giamsat.api.errors import error_response


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a
    civil servant's English-language browser must still get the Vietnamese system.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", chosen)
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no browser features, no caching of pages
    that show a signed-in user's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def is_api(request) -> bool:
    """Under /api/ (the REST API and the downloads) every error is the API's JSON shape."""
    return request.path.startswith("/api/")


def _speak_the_users_language(request) -> None:
    """These answers come before LanguageMiddleware has run."""
    translation.activate(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
                         or settings.LANGUAGE_CODE)


class UploadSizeMiddleware:
    """Refuse a request body larger than GIAMSAT_MAX_REQUEST_MB before anything reads it.

    Per-file limits (evidence, imports) are checked again where the file is used; this
    stops a huge upload from filling the disk or memory first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_MB * 1024 * 1024
        if length > limit:
            _speak_the_users_language(request)
            message = _("The upload is too large: %(size).1f MB; at most %(limit)s MB is "
                        "accepted.") % {"size": length / 1024 / 1024,
                                        "limit": settings.MAX_REQUEST_MB}
            if is_api(request):
                return error_response(413, "too_large", message)
            body = render_to_string("web/error.html", {"title": _("Upload too large"),
                                                       "message": message})
            return HttpResponse(body, status=413)
        return self.get_response(request)


class ApiUrlLengthMiddleware:
    """Refuse an API URL longer than MAX_API_URL_CHARS with 414 in the API's error shape.

    No filter needs more (a search text, a few statuses); gunicorn's own limit on the
    request line (4,094 bytes) is higher, so an over-long API URL gets this JSON answer,
    not gunicorn's plain-text one, unless it is longer than that too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.path) + len(request.META.get("QUERY_STRING", ""))
        if is_api(request) and length > settings.MAX_API_URL_CHARS:
            _speak_the_users_language(request)
            return error_response(414, "uri_too_long", _(
                "The URL is too long: %(length)s characters; at most %(limit)s are "
                "accepted.") % {"length": length, "limit": settings.MAX_API_URL_CHARS})
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login, except the API: it answers 401 in its own error format and
    also takes API tokens (api/v1.py)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
