"""The API's rate limit: API_RATE_PER_MINUTE requests per caller in each clock minute.

The count is one row per caller and minute (models.RequestCount), raised by a single
INSERT … ON CONFLICT DO UPDATE … RETURNING statement. That statement is atomic on both
databases giamsat runs on: PostgreSQL locks the caller's row for the moment of the
update, SQLite runs it under its one write lock. So parallel requests, in threads or in
other gunicorn processes, never read the same count: exactly the limit is let through.
The statement runs outside any transaction (ninja checks the limit before the view), so
the row is locked only for the statement itself.

A fixed window is simple and exact within the minute; a caller may make up to twice the
limit across a minute's end, which is acceptable for a limit meant to stop runaway
clients, not to meter them.
"""

import time

from django.conf import settings
from django.db import connection
from ninja.throttling import BaseThrottle

from giamsat.api.models import RequestCount

WINDOW_SECONDS = 60


def current_minute() -> int:
    return int(time.time() // WINDOW_SECONDS)


def count_request(caller: str) -> int:
    """Count one request of `caller` in the current minute; its count so far, this one
    included."""
    minute = current_minute()
    table, caller_, minute_, count_ = (connection.ops.quote_name(name) for name in (
        RequestCount._meta.db_table, "caller", "minute", "count"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({caller_}, {minute_}, {count_}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({caller_}, {minute_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
            f"RETURNING {count_}", [caller, minute])
        (count,) = cursor.fetchone()
    if count == 1:
        # The caller's first request of a minute: its earlier minutes are done with.
        RequestCount.objects.filter(caller=caller, minute__lt=minute).delete()
    return count


class PerCallerMinuteThrottle(BaseThrottle):
    """ninja's throttle interface over count_request. It keeps no state between calls:
    one instance serves every thread at once."""

    def allow_request(self, request) -> bool:
        user = getattr(request, "auth", None)
        caller = f"user:{user.pk}" if getattr(user, "pk", None) else \
            f"address:{self.get_ident(request)}"
        return count_request(caller[:80]) <= settings.API_RATE_PER_MINUTE

    def wait(self) -> float:
        """Seconds until the next minute begins (sent as Retry-After)."""
        return max(1.0, WINDOW_SECONDS - time.time() % WINDOW_SECONDS)
