"""League tables and compliance groups read from the database, for one indicator and
period: what the rankings page, the API, the exports and the reports show, from one
function each (`league`, `on_time_groups`), over the pure functions of league.py.

Decisions
---------
* **Two blocs.** Ministries and central agencies (CENTRAL_KINDS) and provinces are ranked
  separately, as appendix 03 of the half-year report tables them.
* **Who is in a table.** The organisations of the bloc valid on the period's last day
  that have a value or a registered target for the period. A June 2025 value belongs to
  the province valid on 30/06/2025 (one of the 63); a July value to one of the 34. An
  agency without a value is listed last, without a rank.
* **Which values.** Those known by the as-of date (the day a value is for: `observed_on`,
  else the end of its month, as the indicator pages read them). The target is the one the
  agency registered for the period (what appendix 03 compares with), never a year-end
  target of a directive, which a monthly value is not measured against.
* **The previous period** is the one before (the month before, for a monthly indicator).
  An agency's previous value is that of the same body of agencies then: its own, or,
  when it was formed since by a merger, its predecessors' values combined: rates from
  their numerators and denominators (never averaged), amounts and counts summed. When
  that cannot be done (no counts, a predecessor without a value) there is no previous
  value, no change and no rank change: a comparison with part of an agency is not made.
  The previous rank is the rank among the agencies of this table by their previous values.
* **Compliance groups.** By value against target: the value as a percentage of the
  registered target (target / value for an indicator where lower is better); by share
  of tasks completed on time: of an agency's lead assignments due by the as-of date, the
  share completed by their deadline, counted by tasks/queries.py (the dashboard's
  counters, with former agencies' assignments counted for their successors). Thresholds
  come from settings (GIAMSAT_TARGET_GROUPS, GIAMSAT_ON_TIME_GROUPS).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from giamsat.indicators.models import Frequency, Indicator, Observation, Target, TargetSource, Unit
from giamsat.indicators.summary import REPORTING_GROUPS, effective_date, target_value
from giamsat.lib.months import add_months, month_end
from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import Organisation
from giamsat.rankings.league import (
    Entry,
    LeagueRow,
    Threshold,
    compliance_group,
    compliance_groups,
    league_table,
)
from giamsat.tasks.queries import agencies_overview
from giamsat.tasks.status import TaskStatus

BLOCS = REPORTING_GROUPS  # ("central", CENTRAL_KINDS), ("provinces", (PROVINCE,))
BLOC_KINDS = tuple(kind for _bloc, kinds in BLOCS for kind in kinds)
# Units whose value for a merged agency is the sum of its parts' values.
ADDITIVE_UNITS = (Unit.COUNT, Unit.VND_BILLION, Unit.USD_MILLION)
HUNDRED = Decimal(100)


# Thresholds ------------------------------------------------------------------------------

def parse_thresholds(text: str, setting: str = "") -> tuple[Threshold, ...]:
    """ "I:90,II:70,III:50,IV:0" → thresholds, best first. Raises ImproperlyConfigured
    on anything else: a group name twice, a minimum that is not a number."""
    thresholds = []
    for item in (part.strip() for part in text.split(",")):
        name, colon, minimum = item.rpartition(":")
        try:
            value = Decimal(minimum.strip())
        except ArithmeticError:
            value = None
        if not colon or not name.strip() or value is None or not value.is_finite():
            raise ImproperlyConfigured(
                f"{setting or 'thresholds'}: “{item}” is not NAME:MINIMUM "
                "(e.g. I:90,II:70,III:50,IV:0)")
        thresholds.append(Threshold(name.strip(), value))
    if len({t.name for t in thresholds}) != len(thresholds):
        raise ImproperlyConfigured(f"{setting or 'thresholds'}: a group is named twice")
    return tuple(sorted(thresholds, key=lambda t: t.minimum, reverse=True))


def target_thresholds() -> tuple[Threshold, ...]:
    return parse_thresholds(settings.RANKING_TARGET_GROUPS, "GIAMSAT_TARGET_GROUPS")


def on_time_thresholds() -> tuple[Threshold, ...]:
    return parse_thresholds(settings.RANKING_ON_TIME_GROUPS, "GIAMSAT_ON_TIME_GROUPS")


# Periods -----------------------------------------------------------------------------------

SPAN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


def period_end(indicator: Indicator, period: datetime.date) -> datetime.date:
    """The last day of the period that starts on `period`."""
    return month_end(add_months(period, SPAN.get(indicator.frequency, 1) - 1))


def previous_period(indicator: Indicator, period: datetime.date) -> datetime.date:
    return add_months(period, -SPAN.get(indicator.frequency, 1))


def ranked_periods(indicator: Indicator, as_of: datetime.date) -> list[datetime.date]:
    """The periods with a value of a ministry or province known by `as_of`, latest first."""
    seen = Observation.objects.filter(indicator=indicator, period__lte=as_of,
                                      organisation__kind__in=BLOC_KINDS)
    periods = {o.period for o in seen.only("period", "observed_on")
               if effective_date(o) <= as_of}
    return sorted(periods, reverse=True)


def ranked_indicators():
    """Indicators some ministry or province has a value of, those with most values first."""
    from django.db.models import Count, Q

    return (Indicator.objects.filter(observations__organisation__kind__in=BLOC_KINDS)
            .annotate(values=Count("observations", filter=Q(
                observations__organisation__kind__in=BLOC_KINDS)))
            .order_by("-values", "name").distinct())


# Values of a body of agencies ------------------------------------------------------------------

@dataclass(frozen=True)
class Value:
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def combine(values: list[Value | None], unit: str) -> Value | None:
    """The value of agencies taken together, or None when it cannot be known: a rate
    from their counts, an amount summed; one agency's value is its own."""
    if not values or any(v is None for v in values):
        return None
    if len(values) == 1:
        return values[0]
    if all(v.numerator is not None and v.denominator is not None for v in values):
        numerator = sum(v.numerator for v in values)
        denominator = sum(v.denominator for v in values)
        if not denominator:
            return None
        ratio = numerator / denominator * (HUNDRED if unit == Unit.PERCENT else 1)
        return Value(ratio.quantize(Decimal("0.0001")), numerator, denominator)
    if unit in ADDITIVE_UNITS:
        return Value(sum(v.value for v in values))
    return None


def _values(indicator: Indicator, period: datetime.date, as_of: datetime.date) -> dict:
    """Organisation id → Value of the period, for the values known by `as_of`."""
    found = Observation.objects.filter(indicator=indicator, period=period,
                                       organisation__kind__in=BLOC_KINDS)
    return {o.organisation_id: Value(o.value, o.numerator, o.denominator)
            for o in found if effective_date(o) <= as_of}


def members(org: Organisation, day: datetime.date, graph: OrgGraph) -> list[Organisation]:
    """The agencies that were, on `day`, what `org` is now: itself if it existed then,
    and the former agencies it carries forward that existed then."""
    return [o for o in [org, *graph.predecessors(org)] if o.is_valid_on(day)]


# League tables -------------------------------------------------------------------------------

@dataclass
class BlocTable:
    bloc: str  # "central" | "provinces"
    rows: list[LeagueRow]  # row.agency is the Organisation
    # Value as a percentage of the target, and its group, per organisation id.
    scores: dict[int, Decimal | None] = field(default_factory=dict)
    groups: dict[str, list[Organisation]] = field(default_factory=dict)
    # Organisation id → the former agencies whose values make its previous value.
    previous_from: dict[int, list[Organisation]] = field(default_factory=dict)

    @property
    def ranked(self) -> list[LeagueRow]:
        return [row for row in self.rows if row.rank is not None]

    def top(self, n: int = 3) -> list[LeagueRow]:
        """The first `n` ranked rows, and those tied with the last of them."""
        ranked = self.ranked
        if len(ranked) <= n:
            return ranked
        return [row for row in ranked if row.rank <= ranked[n - 1].rank]

    def bottom(self, n: int = 3) -> list[LeagueRow]:
        """The last `n` ranked rows (the lowest last), and those tied with the first."""
        ranked = self.ranked
        if len(ranked) <= n:
            return ranked
        return [row for row in ranked if row.rank >= ranked[-n].rank]

    def score(self, row: LeagueRow) -> Decimal | None:
        return self.scores.get(row.agency.pk)

    def group(self, row: LeagueRow) -> str | None:
        return next((name for name, orgs in self.groups.items() if row.agency in orgs), None)


@dataclass
class Ranking:
    indicator: Indicator
    period: datetime.date | None  # None: no value of any agency is known yet
    previous: datetime.date | None
    as_of: datetime.date
    tables: list[BlocTable]
    thresholds: tuple[Threshold, ...]

    def bloc(self, key: str) -> BlocTable:
        return next(table for table in self.tables if table.bloc == key)

    @property
    def higher_is_better(self) -> bool:
        return self.indicator.direction > 0


def target_share(value: Decimal | None, target: Decimal | None,
                 higher_is_better: bool = True) -> Decimal | None:
    """The value as a percentage of the target (100: exactly met); for an indicator where
    lower is better, the target as a percentage of the value. None without both, or when
    the ratio means nothing (a target, or a value, of zero or below): then 100 if met."""
    if value is None or target is None:
        return None
    numerator, denominator = (value, target) if higher_is_better else (target, value)
    if denominator <= 0 or numerator < 0:
        met = value >= target if higher_is_better else value <= target
        return HUNDRED if met else None
    return numerator * HUNDRED / denominator


def league(indicator: Indicator, period: datetime.date | None = None,
           as_of: datetime.date | None = None,
           thresholds: tuple[Threshold, ...] | None = None) -> Ranking:
    """The league tables of `indicator` for `period` (by default the latest with values
    known by `as_of`, today by default), ministries and provinces apart."""
    as_of = as_of or timezone.localdate()
    thresholds = target_thresholds() if thresholds is None else thresholds
    if period is None:
        periods = ranked_periods(indicator, as_of)
        period = periods[0] if periods else None
    if period is None:
        return Ranking(indicator, None, None, as_of,
                       [BlocTable(bloc, []) for bloc, _kinds in BLOCS], thresholds)
    period = period.replace(day=1)
    previous = previous_period(indicator, period)
    end, previous_end = period_end(indicator, period), period_end(indicator, previous)
    graph = OrgGraph.load()
    now = _values(indicator, period, as_of)
    before = _values(indicator, previous, as_of)
    targets = {t.organisation_id: target_value(t) for t in Target.objects.filter(
        indicator=indicator, source=TargetSource.REGISTERED, period_end=end,
        organisation__kind__in=BLOC_KINDS)}
    higher = indicator.direction > 0
    tables = []
    for bloc, kinds in BLOCS:
        agencies = sorted((o for o in graph.organisations.values()
                           if o.kind in kinds and o.is_valid_on(end)
                           and (o.pk in now or targets.get(o.pk) is not None)),
                          key=lambda o: (o.sort_order, o.name_key))
        entries, previous_from = [], {}
        for org in agencies:
            then = members(org, previous_end, graph)
            earlier = combine([before.get(o.pk) for o in then], indicator.unit)
            if then and then != [org] and earlier is not None:
                previous_from[org.pk] = then
            value = now.get(org.pk)
            entries.append(Entry(org, value.value if value else None, targets.get(org.pk),
                                 earlier.value if earlier else None))
        rows = league_table(entries, higher_is_better=higher)
        scores = {row.agency.pk: target_share(row.value, row.target, higher) for row in rows}
        # Within a group, the best score first (rows without one are never grouped).
        scored = sorted((row for row in rows if scores[row.agency.pk] is not None),
                        key=lambda row: -scores[row.agency.pk])
        groups = compliance_groups({row.agency: scores[row.agency.pk] for row in scored},
                                   thresholds)
        tables.append(BlocTable(bloc, rows, scores, groups, previous_from))
    return Ranking(indicator, period, previous, as_of, tables, thresholds)


# Compliance groups by tasks completed on time ------------------------------------------------

@dataclass(frozen=True)
class OnTimeLine:
    organisation: Organisation
    due: int  # lead assignments due by the as-of date
    on_time: int  # of them, completed by their deadline
    completed: int  # of them, completed at all
    share: Decimal  # on_time / due, in percent
    group: str | None


@dataclass
class OnTimeGroups:
    bloc: str
    lines: list[OnTimeLine]  # highest share first
    groups: dict[str, list[Organisation]]

    @property
    def shares(self) -> dict[int, Decimal]:
        return {line.organisation.pk: line.share for line in self.lines}


def on_time_groups(on: datetime.date, thresholds: tuple[Threshold, ...] | None = None
                   ) -> list[OnTimeGroups]:
    """Ministries' and provinces' groups by the share of their lead assignments due by
    `on` that were completed on time: the dashboard's per-agency counts (agencies_overview),
    the organisations valid on `on`, those with nothing due left out."""
    thresholds = on_time_thresholds() if thresholds is None else thresholds
    rows = agencies_overview(on)
    result = []
    for bloc, kinds in BLOCS:
        lines = []
        for row in rows:
            if row.organisation.kind not in kinds or not row.due_total:
                continue
            on_time = row.due[TaskStatus.COMPLETED_ON_TIME]
            share = Decimal(on_time) * HUNDRED / Decimal(row.due_total)
            lines.append(OnTimeLine(row.organisation, row.due_total, on_time,
                                    row.due_completed, share,
                                    compliance_group(share, thresholds)))
        lines.sort(key=lambda line: (-line.share, line.organisation.sort_order,
                                     line.organisation.name_key))
        groups = compliance_groups({line.organisation: line.share for line in lines},
                                   thresholds)
        result.append(OnTimeGroups(bloc, lines, groups))
    return result
