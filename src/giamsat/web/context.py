"""What every page needs to draw its menu: the user's role, what it may open, and how
many of the user's notifications are unread (the bell)."""

from giamsat.accounts.policy import Action, allowed, home_organisation, role_of
from giamsat.notify.notices import unread_count


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    role = role_of(user)
    if role is None:
        return {"nav": None}
    return {"nav": {
        "section": _section(request.path),
        "role": role,
        "organisation": home_organisation(user),
        "can_report": allowed(user, Action.EDIT_REPORT),
        "can_review": allowed(user, Action.REVIEW),
        "can_import": allowed(user, Action.IMPORT),
        "is_staff": user.is_staff,
        "unread": unread_count(user),
    }}


# The menu entry a path belongs to: the longest matching prefix wins.
SECTIONS = {"/nhiem-vu/": "tasks", "/chi-tieu/": "indicators", "/co-quan/": "organisations",
            "/xep-hang/": "rankings",
            "/cap-nhat/": "report", "/minh-chung/": "report", "/duyet/": "review",
            "/nhap-du-lieu/": "imports", "/bao-cao/": "reports",
            "/thu-gui/": "outbox", "/vuong-mac/": "difficulties",
            "/thong-bao/": "notifications"}


def _section(path: str) -> str:
    if path == "/":
        return "dashboard"
    return next((name for prefix, name in SECTIONS.items() if path.startswith(prefix)), "")
