"""What a reporting regime (models.Regime) says: a period's window and due day, which
observations and updates fall into it, and who must report an indicator.

The period arithmetic is regimes.py's; this module reads it from a stored regime, so the
reporting rate, the reports and the API take the rule from data.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from giamsat.lib.months import add_months, month_end
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgKind
from giamsat.reporting import regimes
from giamsat.reporting.models import MONTHLY, Regime, RegimeIndicator, monthly_regime

# Who reports when a regime names no kinds for an indicator: every ministry-level agency,
# government agency and province.
REPORTING_KINDS = (*CENTRAL_KINDS, OrgKind.PROVINCE)


def regime(code: str = MONTHLY) -> Regime:
    return monthly_regime() if code == MONTHLY else Regime.objects.get(code=code)


def active_regimes() -> list[Regime]:
    """The regimes in use, the monthly one first (it is the default everywhere)."""
    found = list(Regime.objects.filter(is_active=True))
    return sorted(found, key=lambda r: (r.code != MONTHLY,
                                        regimes.MONTHS_IN[regimes.PeriodType(r.period_type)],
                                        r.code))


class UnknownPeriod(ValueError):
    """A period key or regime code that names nothing; str() says why, for the user."""


def resolve(key: str, code: str | None = None) -> tuple[Regime, datetime.date]:
    """The regime and period a key names: "2025-10" a month, "2025-Q2" a quarter, "2025-H1"
    a half-year, "2025" a year; the regime is `code`, or the active one of that period
    (the monthly regime for a month)."""
    parsed = regimes.parse_key(key)
    if parsed is None:
        raise UnknownPeriod(_("No such reporting period “%(key)s”: write a month 2025-10, "
                              "a quarter 2025-Q2, a half-year 2025-H1 or a year 2025.")
                            % {"key": (key or "")[:20]})
    period_type, period = parsed
    if code:
        found = Regime.objects.filter(code=code).first() if code != MONTHLY else regime()
        if found is None:
            raise UnknownPeriod(_("No reporting regime “%(code)s”.") % {"code": code[:40]})
        # A regime out of use takes no reports (the monthly one is always in use).
        if not found.is_active and found.code != MONTHLY:
            raise UnknownPeriod(_("The reporting regime “%(code)s” is not in use.")
                                % {"code": code[:40]})
        if found.period_type != period_type:
            raise UnknownPeriod(_("The regime %(regime)s reports by %(type)s; “%(key)s” is not "
                                  "one of its periods.")
                                % {"regime": found.name, "key": key,
                                   "type": found.get_period_type_display().lower()})
        return found, period
    if period_type == regimes.PeriodType.MONTH:
        return regime(), period
    found = [r for r in active_regimes() if r.period_type == period_type]
    if not found:
        named = dict(Regime._meta.get_field("period_type").choices)[period_type]
        raise UnknownPeriod(_("No reporting regime in use reports by %(type)s.")
                            % {"type": str(named).lower()})
    return found[0], period


def key(regime: Regime, period: datetime.date) -> str:
    return regimes.period_key(regime.period_type, period)


def label(regime: Regime, period: datetime.date) -> str:
    """The period as messages name it: 07/2025 for a month (as they always have), Quý
    II/2025, 6 tháng đầu năm 2025, Năm 2025 for the others."""
    if regime.period_type == regimes.PeriodType.MONTH:
        return f"{period:%m/%Y}"
    return regimes.period_label(regime.period_type, period)


def current_period(regime: Regime, today: datetime.date) -> datetime.date:
    """The period agencies report on today: the last one until its due day, then the one
    whose data are being gathered."""
    now = period_of(regime, today)
    last = regimes.previous_period(regime.period_type, now)
    return last if today <= due_date(regime, last) else now


def last_closed_period(regime: Regime, today: datetime.date) -> datetime.date:
    """The latest period whose due day has passed: its rate is final enough to judge by."""
    last = regimes.previous_period(regime.period_type, period_of(regime, today))
    return last if due_date(regime, last) < today else \
        regimes.previous_period(regime.period_type, last)


def is_open(regime: Regime, period: datetime.date, today: datetime.date,
            reopened_until: datetime.date | None = None) -> bool:
    """Whether a report for `period` may be written on `today`: from the first day of its
    data until its due day, or the day the standing office opened it again until."""
    if today < window(regime, period)[0]:
        return False
    return today <= due_date(regime, period) or (
        reopened_until is not None and today <= reopened_until)


def recent_periods(regime: Regime, today: datetime.date, count: int = 12) -> list:
    periods, period = [], period_of(regime, today)
    for _counted in range(count):
        periods.append(period)
        period = regimes.previous_period(regime.period_type, period)
    return periods


def calendar_end(regime: Regime, period: datetime.date) -> datetime.date:
    """The last day of the period's last calendar month (where a registered target ends)."""
    return month_end(add_months(period, regimes.MONTHS_IN[
        regimes.PeriodType(regime.period_type)] - 1))


def must_report(regime: Regime, period: datetime.date):
    """The organisations that owe a report for `period`: those that must report any of
    the regime's indicators. A regime that names none: for the monthly regime every
    reporting agency (as always), for another nobody yet, so that a regime put in use
    reminds and counts no agency until its indicators say who reports."""
    rules = [({k.strip() for k in rule.kinds.split(",") if k.strip()},
              {o.pk for o in rule.exempt.all()})
             for rule in RegimeIndicator.objects.filter(regime=regime)
             .prefetch_related("exempt")]
    end = month_end(window(regime, period)[1])
    if not rules:
        if regime.code != MONTHLY:
            return Organisation.objects.none()
        return Organisation.objects.filter(kind__in=REPORTING_KINDS).valid_on(end)
    candidates = Organisation.objects.filter(
        kind__in=set().union(*(kinds for kinds, _exempt in rules))).valid_on(end)
    owing = [o.pk for o in candidates
             if any(o.kind in kinds and o.pk not in exempt for kinds, exempt in rules)]
    return Organisation.objects.filter(pk__in=owing)


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
    regime = regime or monthly_regime()
    rule = RegimeIndicator.objects.filter(regime=regime, indicator=indicator).first()
    _start, end = window(regime, period)
    kinds = [k.strip() for k in rule.kinds.split(",") if k.strip()] if rule else \
        list(REPORTING_KINDS)
    found = Organisation.objects.filter(kind__in=kinds).valid_on(month_end(end))
    if rule is not None:
        found = found.exclude(pk__in=rule.exempt.values_list("pk", flat=True))
    return found
