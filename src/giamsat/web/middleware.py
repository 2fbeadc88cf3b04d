from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


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
            translation.activate(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
                                 or settings.LANGUAGE_CODE)
            message = _("The upload is too large: %(size).1f MB; at most %(limit)s MB is "
                        "accepted.") % {"size": length / 1024 / 1024,
                                        "limit": settings.MAX_REQUEST_MB}
            body = render_to_string("web/error.html", {"title": _("Upload too large"),
                                                       "message": message})
            return HttpResponse(body, status=413)
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login, except the API: it answers 401 in its own error format and
    also takes API tokens (api/v1.py)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
