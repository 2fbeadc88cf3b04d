"""The API's one error shape, {"error": {"code", "message", "details": [{"field", "message"}]}},
also for the answers under /api/ that django-ninja does not make: a body or a URL too large
(web/middleware.py), a NUL character in a URL, a download with a bad token
(web/views/exports.py), Django's own error pages."""

from django.http import JsonResponse


def error_body(code: str, message: str, details=()) -> dict:
    return {"error": {"code": code, "message": message, "details": list(details)}}


def error_response(status: int, code: str, message: str, details=()) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status,
                        json_dumps_params={"ensure_ascii": False})
