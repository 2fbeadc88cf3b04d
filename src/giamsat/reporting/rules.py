"""What a reporting regime (models.Regime) says: a period's window and due day, which
observations and updates fall into it, and who must report an indicator.

The period arithmetic is regimes.py's; this module reads it from a stored regime, so the
reporting rate, the reports and the API take the rule from data.
"""

import datetime

from django.db.models import Q

from giamsat.lib.months import add_months, month_end
from giamsat.orgs.models import Organisation
from giamsat.reporting import regimes
from giamsat.reporting.expected import REPORTING_KINDS
from giamsat.reporting.models import Regime, RegimeIndicator

MONTHLY = "thang"


def regime(code: str = MONTHLY) -> Regime:
    return Regime.objects.get(code=code)


def window(regime: Regime, period: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of the data of `period` under `regime`."""
    return regimes.window(regime.period_type, regime.cutoff, period)


def period_of(regime: Regime, day: datetime.date) -> datetime.date:
    """The period a day's data belongs to (after the 14th: the next one, under Decree 09)."""
    return regimes.period_of(regime.period_type, regime.cutoff, day)


def due_date(regime: Regime, period: datetime.date) -> datetime.date:
    """The regime's due day in the month after the period's last month."""
    last_month = add_months(regimes.calendar_period(regime.period_type, period),
                            regimes.MONTHS_IN[regimes.PeriodType(regime.period_type)] - 1)
    following = add_months(last_month, 1)
    return following.replace(day=min(regime.due_day, month_end(following).day))


def reminder_days(regime: Regime) -> list[int]:
    days = []
    for part in regime.remind_days_before.split(","):
        if part.strip().isdigit():
            days.append(int(part))
    return sorted(set(days), reverse=True)


def observations_in(regime: Regime, period: datetime.date, queryset):
    """Observations whose data fall in the period's window: by the day they were taken
    (observed_on), or, without one, by their month's last day."""
    start, end = window(regime, period)
    return queryset.filter(Q(observed_on__gte=start, observed_on__lte=end)
                           | Q(observed_on__isnull=True) & _month_end_within(start, end))


def _month_end_within(start: datetime.date, end: datetime.date) -> Q:
    """Months whose last day lies in [start, end] (a Decree 09 window ends on a 14th, so
    the month it ends in does not count when the value has no day of its own)."""
    months, month = [], start.replace(day=1)
    while month <= end:
        if start <= month_end(month) <= end:
            months.append(month)
        month = add_months(month, 1)
    return Q(period__in=months)


def updates_in(regime: Regime, period: datetime.date, queryset):
    """Assignment updates whose completion day, or else submission day, falls in the
    window."""
    start, end = window(regime, period)
    return queryset.filter(
        Q(completed_on__gte=start, completed_on__lte=end)
        | Q(completed_on__isnull=True, submitted_at__date__gte=start,
            submitted_at__date__lte=end))


def expected_for(indicator, period: datetime.date, regime: Regime | None = None):
    """Who must report `indicator` for `period`: the regime's kinds less its exempt
    bodies; without a rule for the indicator, every reporting agency valid then."""
    regime = regime or Regime.objects.filter(code=MONTHLY).first()
    rule = (RegimeIndicator.objects.filter(regime=regime, indicator=indicator).first()
            if regime is not None else None)
    _start, end = window(regime, period) if regime is not None else (None, month_end(period))
    kinds = [k.strip() for k in rule.kinds.split(",") if k.strip()] if rule else \
        list(REPORTING_KINDS)
    found = Organisation.objects.filter(kind__in=kinds).valid_on(month_end(end))
    if rule is not None:
        found = found.exclude(pk__in=rule.exempt.values_list("pk", flat=True))
    return found
