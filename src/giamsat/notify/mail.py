"""Sending the outbox: each message locked while it is sent, sent once, a failure kept
with its reason and tried again (up to MAX_ATTEMPTS) by the next run of `giamsat remind`.

Notifications wanted at once are sent by a background job (`send_messages`) queued in the
transaction that wrote them (with GIAMSAT_JOBS_INLINE, run when it commits); whatever it
could not send waits in the outbox (`/thu-gui/`) for the next daily run.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from giamsat import jobs
from giamsat.notify.models import Message

MAX_ATTEMPTS = 3


def send(pks) -> tuple[int, int]:
    """Send the unsent messages among `pks`: (sent, failed)."""
    sent = failed = 0
    for pk in pks:
        with transaction.atomic():
            message = (Message.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                       .exclude(recipient="").first())
            if message is None:
                continue  # another run is sending it, has sent it, or gave up
            message.attempts += 1
            try:
                with translation.override("vi"):
                    send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                              [message.recipient])
            except Exception as error:  # the outbox shows why; the next run tries again
                message.error = str(error)[:2000]
                failed += 1
            else:
                message.sent_at, message.error = timezone.now(), ""
                sent += 1
            message.save()
    return sent, failed


def send_pending() -> tuple[int, int]:
    """Send every message not yet sent (a failure is tried again next run)."""
    return send(list(Message.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                     .exclude(recipient="").order_by("pk").values_list("pk", flat=True)))


def send_soon(pks: list[int]) -> None:
    """Have the messages sent by a background job once the current transaction commits."""
    if not pks:
        return
    if settings.JOBS_INLINE:
        transaction.on_commit(lambda: jobs.enqueue(send_messages, list(pks)))
    else:
        # The job is a row of the same transaction: queued if and only if it commits.
        jobs.enqueue(send_messages, list(pks))


@jobs.resumable
@task()
def send_messages(pks: list[int]) -> dict:
    """`send` as a background job; safe to run again, as a sent message is not resent."""
    sent, failed = send(pks)
    return {"sent": sent, "failed": failed}
