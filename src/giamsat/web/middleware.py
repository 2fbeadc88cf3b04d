from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.api.errors import error_response
from giamsat.lib.text import holds_nul


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


class NulCharacterMiddleware:
    """Refuse a request whose URL or form holds a NUL character (%00) with 400.

    No text field of PostgreSQL can hold one, so a filter (?q=a%00) or a saved form holding
    it was a server error; Django's own form fields refuse it the same way. The API's JSON
    bodies are checked by their schemas (api/schemas.py, Text), which name the field.
    """

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._field_with_nul(request)
        if field is None:
            return self.get_response(request)
        _speak_the_users_language(request)
        message = _("“%(field)s” holds a NUL character (\\x00), which no text can hold.") % {
            "field": field}
        if is_api(request):
            return error_response(400, "validation_error", _("The request is not valid."),
                                  [{"field": field, "message": message}])
        body = render_to_string("web/error.html", {"title": _("The request is not valid."),
                                                   "message": message})
        return HttpResponse(body, status=400)

    def _field_with_nul(self, request) -> str | None:
        """The first part of the request holding a NUL: "path", or a field's name."""
        if holds_nul(request.path):
            return "path"
        fields = list(request.GET.lists())
        if request.method == "POST" and request.content_type in self.FORMS:
            fields += list(request.POST.lists())
            fields += [(name, [f.name for f in files]) for name, files in request.FILES.lists()]
        for name, values in fields:
            if holds_nul(name) or any(holds_nul(value) for value in values):
                return name
        return None


class ApiErrorShapeMiddleware:
    """Under /api/ every error has the API's JSON shape (api/errors.py), even where
    django-ninja does not answer.

    - A URL longer than MAX_API_URL_CHARS is refused with 414. No filter needs more (a
      search text, a few statuses); gunicorn's own limit on the request line (4,094 bytes)
      is higher, so an over-long API URL gets this answer, not gunicorn's plain text,
      unless it is longer than that too.
    - Django's own error pages (an unknown path, a method the operation does not take) are
      replaced by the shape, with the status and its headers (Allow) kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        length = len(request.path) + len(request.META.get("QUERY_STRING", ""))
        if length > settings.MAX_API_URL_CHARS:
            _speak_the_users_language(request)
            return error_response(414, "uri_too_long", _(
                "The URL is too long: %(length)s characters; at most %(limit)s are "
                "accepted.") % {"length": length, "limit": settings.MAX_API_URL_CHARS})
        response = self.get_response(request)
        if response.status_code in GENERIC_ERRORS and not response.get(
                "Content-Type", "").startswith("application/json"):
            return _in_the_error_shape(response)
        return response


# Django's own error answers under /api/: status → (code, message).
GENERIC_ERRORS = {
    400: ("validation_error", gettext_lazy("The request is not valid.")),
    403: ("forbidden", gettext_lazy("Not allowed.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    500: ("server_error", gettext_lazy("A server error occurred; nothing was half-written. "
                                       "Please try again later or tell the administrator.")),
}


def _in_the_error_shape(response):
    code, message = GENERIC_ERRORS[response.status_code]
    shaped = error_response(response.status_code, code, str(message))
    if "Allow" in response:
        shaped["Allow"] = response["Allow"]
    return shaped


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login, except the API: it answers 401 in its own error format and
    also takes API tokens (api/v1.py)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
