"""A province's figure for an indicator from the values of its communes.

A rate is rolled up from its counts: the sum of the communes' numerators over the sum of
their denominators (1,000 of 2,000 households in one ward and 10 of 10 in another make
50.5%, not the 75% an average of the two percentages would say). A commune that gave a
rate without its counts cannot be added in: it is counted apart (`without_counts`) and the
figure is marked incomplete. Amounts (counts, money) add up; ranks and indices do not, and
have no roll-up.

The page (the province's scorecard), the API and the tests call these functions, so they
show one number.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from giamsat.indicators.models import Indicator, Observation, Unit
from giamsat.lib.months import add_months, month_end
from giamsat.orgs.models import Organisation, OrgKind

ADDITIVE_UNITS = (Unit.COUNT, Unit.VND_BILLION, Unit.USD_MILLION)
RATE_UNITS = (Unit.PERCENT,)
_PLACES = Decimal("0.0001")  # the precision Observation stores


@dataclass
class Rollup:
    indicator: Indicator
    province: Organisation
    period: datetime.date
    communes: int  # communes of the province that existed at the end of the period
    reported: int = 0  # those with a value for the period
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    without_counts: list[Organisation] = field(default_factory=list)

    @property
    def rolls_up(self) -> bool:
        """Whether the indicator's unit has a roll-up at all."""
        return self.indicator.unit in (*ADDITIVE_UNITS, *RATE_UNITS)

    @property
    def complete(self) -> bool:
        """Every commune reported, and every value could be added in."""
        return self.communes > 0 and self.reported == self.communes \
            and not self.without_counts


def _communes(province: Organisation, period: datetime.date) -> list[Organisation]:
    return list(Organisation.objects.filter(parent=province, kind=OrgKind.COMMUNE)
                .valid_on(month_end(period)))


def rollup(indicator: Indicator, province: Organisation, period: datetime.date,
           observations=None, communes=None) -> Rollup:
    """The province's figure for `period` (the first day of its month) from its communes.

    `observations` and `communes` may be given already loaded (rollups() does, for many
    indicators at once); otherwise they are read here."""
    period = period.replace(day=1)
    communes = _communes(province, period) if communes is None else communes
    if observations is None:
        observations = Observation.objects.filter(indicator=indicator, period=period,
                                                  organisation__in=communes)
    ids = {c.pk: c for c in communes}
    values = [o for o in observations if o.organisation_id in ids]
    result = Rollup(indicator, province, period, communes=len(communes),
                    reported=len(values))
    if not values or not result.rolls_up:
        return result
    if indicator.unit in RATE_UNITS:
        counted = [o for o in values if o.numerator is not None and o.denominator]
        counted_ids = {o.pk for o in counted}
        result.without_counts = sorted((ids[o.organisation_id] for o in values
                                        if o.pk not in counted_ids), key=lambda c: c.name_key)
        if counted:
            result.numerator = sum((o.numerator for o in counted), Decimal(0))
            result.denominator = sum((o.denominator for o in counted), Decimal(0))
            result.value = (result.numerator * 100 / result.denominator).quantize(_PLACES)
        return result
    result.value = sum((o.value for o in values), Decimal(0))
    return result


def latest_month(province: Organisation, as_of: datetime.date,
                 months: int = 12) -> datetime.date | None:
    """The latest month up to `as_of` (and at most `months` back) in which any commune of
    the province has a value: one cheap query a month rather than a scan of all of them."""
    commune_ids = list(Organisation.objects.filter(parent=province, kind=OrgKind.COMMUNE)
                       .values_list("pk", flat=True))
    if not commune_ids:
        return None
    month = as_of.replace(day=1)
    for _ in range(months):
        if Observation.objects.filter(organisation_id__in=commune_ids, period=month).exists():
            return month
        month = add_months(month, -1)
    return None


def rollups(province: Organisation, period: datetime.date) -> list[Rollup]:
    """The roll-up of every indicator any commune of the province has a value for in
    `period`, by indicator name (two queries for the values, one for the communes)."""
    period = period.replace(day=1)
    communes = _communes(province, period)
    by_indicator: dict[int, list[Observation]] = {}
    for o in Observation.objects.filter(organisation__in=communes, period=period):
        by_indicator.setdefault(o.indicator_id, []).append(o)
    indicators = Indicator.objects.in_bulk(list(by_indicator))
    found = [rollup(indicators[pk], province, period, values, communes)
             for pk, values in by_indicator.items()]
    return sorted(found, key=lambda r: (r.indicator.name_key, r.indicator.code))
