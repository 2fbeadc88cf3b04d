"""Thông báo: the user's own notifications (the bell in the header), marking them read,
and how they come by email."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from giamsat.accounts.policy import Action, require
from giamsat.lib.ids import parse_id
from giamsat.notify import notices
from giamsat.notify.models import EmailChoice, Notification
from giamsat.web.writes import write_action


@require_safe
def notification_list(request):
    require(request.user, Action.OWN_NOTICES)
    mine = Notification.objects.filter(user=request.user).select_related("organisation",
                                                                         "actor",
                                                                         "submission__regime")
    unread_only = request.GET.get("chua_doc") == "1"
    if unread_only:
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine, 30).get_page(request.GET.get("trang"))
    return render(request, "web/notifications.html", {
        "page": page, "unread_only": unread_only,
        "email": notices.preference(request.user),
        "has_address": bool(request.user.email),
        "choices": EmailChoice,
    })


@require_POST
@write_action(Action.OWN_NOTICES)
def notifications_read(request):
    """Mark one notification read (and open what it is about, with `go`), or all of them."""
    if request.POST.get("all"):
        notices.mark_read(request.user)
        return redirect("web:notifications")
    pk = parse_id(request.POST.get("id", ""))
    found = Notification.objects.filter(user=request.user, pk=pk).first() \
        if pk is not None else None
    if found is None:
        messages.error(request, _("No such notification."))
        return redirect("web:notifications")
    notices.mark_read(request.user, [found.pk])
    if request.POST.get("go") and found.link and url_has_allowed_host_and_scheme(
            found.link, allowed_hosts={request.get_host()}):
        return redirect(found.link)
    return redirect("web:notifications")


@require_http_methods(["GET", "HEAD", "POST"])
@write_action(Action.OWN_NOTICES)
def email_settings(request):
    current = notices.preference(request.user)
    if request.method == "POST":
        choice = request.POST.get("email", "")
        if choice not in EmailChoice.values:
            messages.error(request, _("Choose how you want to receive notifications by "
                                      "email."))
        else:
            notices.choose_email(request.user, choice)
            messages.success(request, _("Saved: %(choice)s.")
                             % {"choice": EmailChoice(choice).label})
            return redirect("web:notifications")
    return render(request, "web/email_settings.html", {
        "current": current, "choices": EmailChoice.choices,
        "has_address": bool(request.user.email), "address": request.user.email,
    })
