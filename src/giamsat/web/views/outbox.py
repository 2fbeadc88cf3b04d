"""Thư gửi đi: every email written (reminders, notifications) and to whom, whether it was
sent, for the standing office."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from giamsat.accounts.policy import Action, require
from giamsat.lib.text import fold
from giamsat.notify.models import Message


@require_safe
def outbox(request):
    require(request.user, Action.REVIEW)
    messages = Message.objects.select_related("organisation")
    if request.GET.get("loi") == "1":
        messages = messages.filter(sent_at__isnull=True)
    query = request.GET.get("q", "").strip()
    if query:
        messages = messages.filter(Q(recipient__icontains=query)
                                   | Q(organisation__name_key__contains=fold(query)))
    page = Paginator(messages, 50).get_page(request.GET.get("trang"))
    return render(request, "web/outbox.html", {"page": page, "q": query,
                                               "failed_only": request.GET.get("loi") == "1"})


@require_safe
def message(request, pk):
    require(request.user, Action.REVIEW)
    found = get_object_or_404(Message.objects.select_related("organisation"), pk=pk)
    return render(request, "web/message.html", {"message": found,
                                                "reminders": found.reminders.all()})
