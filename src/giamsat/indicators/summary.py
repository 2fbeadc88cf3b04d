"""What the pages, reports and API say about an indicator, read from the database.

An indicator card: the latest value and the one before, the target in force, progress
against it (progress.assess) and where the trend leads by the target date
(progress.projection). An agency table: per organisation and month, the registered target,
the value achieved and whether it met the target (the shape of appendix 03 of the
half-year report). Map values: the latest value per province for one month.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from giamsat.indicators.models import Indicator, Observation, Target, TargetSource, Unit
from giamsat.indicators.progress import Assessment, Point, assess, projection, will_reach
from giamsat.lib.months import month_end
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgKind

NATIONAL = "viet-nam"


def national() -> Organisation:
    return Organisation.objects.get(slug=NATIONAL)


def effective_date(observation: Observation) -> datetime.date:
    """The day a value is for: the day given, else the end of its month."""
    return observation.observed_on or month_end(observation.period)


def known_by(observations, as_of: datetime.date) -> list[Observation]:
    """Observations whose value was for a day on or before `as_of`, oldest first."""
    return sorted((o for o in observations if effective_date(o) <= as_of),
                  key=effective_date)


def target_in_force(indicator: Indicator, organisation: Organisation,
                    as_of: datetime.date, targets=None) -> Target | None:
    """The target that applies on `as_of`: the nearest one not yet past, else the last.

    A directive's target comes before one the agency registered for the same date.
    """
    if targets is None:
        targets = list(Target.objects.filter(indicator=indicator, organisation=organisation))
    if not targets:
        return None
    ranked = sorted(targets, key=lambda t: (t.period_end, t.source != TargetSource.DIRECTIVE))
    ahead = [t for t in ranked if t.period_end >= as_of]
    return ahead[0] if ahead else ranked[-1]


def target_value(target: Target) -> Decimal | None:
    """The level progress is judged against: the minimum, else the aspiration."""
    return target.minimum if target.minimum is not None else target.aspiration


@dataclass
class IndicatorCard:
    indicator: Indicator
    organisation: Organisation
    as_of: datetime.date
    latest: Observation | None = None
    previous: Observation | None = None
    target: Target | None = None
    assessment: Assessment | None = None
    projected: Decimal | None = None
    reaches_target: bool | None = None
    series: list[Observation] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else "not_enough_data"

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value


def indicator_card(indicator: Indicator, as_of: datetime.date,
                   organisation: Organisation | None = None,
                   observations=None, targets=None) -> IndicatorCard:
    """The card of `indicator` for `organisation` (the nation by default) on `as_of`.

    `observations` and `targets` may be given already loaded (a list page loads them for
    every indicator in two queries); otherwise they are read here.
    """
    organisation = organisation or national()
    if observations is None:
        observations = Observation.objects.filter(indicator=indicator, organisation=organisation)
    series = known_by(observations, as_of)
    card = IndicatorCard(indicator, organisation, as_of, series=series)
    if series:
        card.latest = series[-1]
        card.previous = series[-2] if len(series) > 1 else None
    card.target = target_in_force(indicator, organisation, as_of, targets)
    if card.target is None or target_value(card.target) is None:
        return card
    goal = target_value(card.target)
    start = card.target.period_start or datetime.date(card.target.period_end.year, 1, 1)
    points = [Point(effective_date(o), o.value) for o in series]
    # Progress is measured from the last value before the target's period began (the
    # baseline), or from the first value within it.
    before = [p for p in points if p.when < start]
    base = before[-1] if before else (points[0] if points else None)
    window = [p for p in points if base is not None and p.when >= base.when]
    card.assessment = assess(window, goal, card.target.period_end, indicator.direction,
                             base=base)
    bounds = (Decimal(0), Decimal(100)) if indicator.unit == Unit.PERCENT else (None, None)
    card.projected = projection(window, card.target.period_end, *bounds)
    card.reaches_target = will_reach(card.projected, goal, indicator.direction)
    return card


def indicator_cards(as_of: datetime.date, indicators=None) -> list[IndicatorCard]:
    """National cards for many indicators, in three queries."""
    indicators = list(Indicator.objects.filter(proposed=False) if indicators is None
                      else indicators)
    nation = national()
    observations: dict[int, list] = {i.pk: [] for i in indicators}
    targets: dict[int, list] = {i.pk: [] for i in indicators}
    for o in Observation.objects.filter(indicator__in=indicators, organisation=nation):
        observations[o.indicator_id].append(o)
    for t in Target.objects.filter(indicator__in=indicators, organisation=nation):
        targets[t.indicator_id].append(t)
    return [indicator_card(i, as_of, nation, observations[i.pk], targets[i.pk])
            for i in indicators]


# The per-agency table ------------------------------------------------------------------

REPORTING_GROUPS = (
    ("central", CENTRAL_KINDS),
    ("provinces", (OrgKind.PROVINCE,)),
)


def meets(value: Decimal | None, target: Decimal | None, direction: int) -> bool | None:
    """Whether `value` reached `target` (at or above it, or at or below for an indicator
    where lower is better); None without both."""
    if value is None or target is None:
        return None
    return value >= target if direction > 0 else value <= target


@dataclass
class MonthCell:
    target: Decimal | None = None
    value: Decimal | None = None
    observed_on: datetime.date | None = None
    direction: int = 1

    @property
    def met(self) -> bool | None:
        """Whether the value reached the registered target; None without both."""
        return meets(self.value, self.target, self.direction)


@dataclass
class AgencyLine:
    organisation: Organisation
    cells: list[MonthCell]
    group: str

    def cell(self, index: int) -> MonthCell:
        return self.cells[index]


@dataclass
class AgencyTable:
    indicator: Indicator
    months: list[datetime.date]
    lines: list[AgencyLine]

    def lines_in(self, group: str) -> list[AgencyLine]:
        return [line for line in self.lines if line.group == group]

    def met(self, month: datetime.date) -> list[Organisation]:
        """Organisations whose value for `month` reached the target they registered."""
        index = self.months.index(month)
        return [line.organisation for line in self.lines if line.cells[index].met]

    def registered(self, month: datetime.date) -> list[Organisation]:
        index = self.months.index(month)
        return [line.organisation for line in self.lines
                if line.cells[index].target is not None]

    def not_registered(self, month: datetime.date) -> list[Organisation]:
        """Organisations that existed in `month` and registered no target for it."""
        index = self.months.index(month)
        end = month_end(month)
        return [line.organisation for line in self.lines
                if line.cells[index].target is None and line.organisation.is_valid_on(end)]


def agency_table(indicator: Indicator, months: list[datetime.date],
                 organisations=None) -> AgencyTable:
    """One line per organisation that existed in any of `months` (central agencies, then
    provinces): its registered monthly target and value, month by month. Former provinces
    have lines for the months they existed, so old names stay visible."""
    months = sorted({m.replace(day=1) for m in months})
    if organisations is None:
        validity = Q()
        for month in months:
            validity |= (Q(valid_from__isnull=True) | Q(valid_from__lte=month_end(month))) & (
                Q(valid_to__isnull=True) | Q(valid_to__gte=month_end(month)))
        kinds = [kind for _group, group_kinds in REPORTING_GROUPS for kind in group_kinds]
        organisations = Organisation.objects.filter(validity, kind__in=kinds)
    organisations = list(organisations)
    index = {m: i for i, m in enumerate(months)}
    cells = {org.pk: [MonthCell(direction=indicator.direction) for _ in months]
             for org in organisations}
    for o in Observation.objects.filter(indicator=indicator, period__in=months,
                                        organisation__in=organisations):
        cell = cells[o.organisation_id][index[o.period]]
        cell.value, cell.observed_on = o.value, o.observed_on
    for t in Target.objects.filter(indicator=indicator, organisation__in=organisations,
                                   source=TargetSource.REGISTERED,
                                   period_end__in=[month_end(m) for m in months]):
        cells[t.organisation_id][index[t.period_end.replace(day=1)]].target = target_value(t)
    group_of = {kind: group for group, kinds in REPORTING_GROUPS for kind in kinds}
    lines = [AgencyLine(org, cells[org.pk], group_of.get(org.kind, "other"))
             for org in organisations]
    order = {group: i for i, (group, _kinds) in enumerate(REPORTING_GROUPS)}
    lines.sort(key=lambda line: (order.get(line.group, 9), line.organisation.sort_order,
                                 line.organisation.name_key, line.organisation.valid_from
                                 or datetime.date.min))
    return AgencyTable(indicator, months, lines)


def map_values(indicator: Indicator, month: datetime.date) -> list[dict]:
    """The value of every province that existed at the end of `month`, for the map."""
    end = month_end(month)
    provinces = Organisation.objects.provinces().valid_on(end)
    values = dict(Observation.objects.filter(indicator=indicator, period=month.replace(day=1),
                                             organisation__in=provinces)
                  .values_list("organisation_id", "value"))
    targets = dict(Target.objects.filter(indicator=indicator, organisation__in=provinces,
                                         source=TargetSource.REGISTERED, period_end=end)
                   .values_list("organisation_id", "minimum"))
    return [{"slug": p.slug, "name": p.name, "value": values.get(p.pk),
             "target": targets.get(p.pk)} for p in provinces]


def latest_period(indicator: Indicator, as_of: datetime.date,
                  organisation_kind: str | None = None) -> datetime.date | None:
    """The most recent month with any value known by `as_of`."""
    observations = Observation.objects.filter(indicator=indicator, period__lte=as_of)
    if organisation_kind:
        observations = observations.filter(organisation__kind=organisation_kind)
    return observations.order_by("-period").values_list("period", flat=True).first()
