"""The ministries' bloc and the provinces' bloc ("khối bộ, ngành", "khối địa phương").

A bloc is an organisation of kind BLOC (orgs/data/organisations.csv) whose members are the
organisations of some kinds valid on the period's last day, so the 63 provinces before
01/07/2025 and the 34 after are each the provinces' bloc of their months. A document's
own figure for a bloc ("các bộ, ngành đạt trung bình 51,82%") is stored as the bloc's
observation and wins; otherwise the figure is computed from the members with the roll-up
rule (indicators/rollup.py: the sum of numerators over the sum of denominators for a rate,
never an average of percentages). Targets a directive gives a bloc ("khối bộ đạt tối
thiểu 85%") are the bloc's targets.

The indicator page, the API and the monthly report read `bloc_figures()`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from giamsat.indicators.models import Indicator, Observation, Target
from giamsat.indicators.rollup import Rollup, rollup
from giamsat.indicators.summary import target_value
from giamsat.lib.months import month_end
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgKind

# bloc slug → the kinds of organisation it gathers, in the order reports write them.
BLOC_MEMBERS = {
    "khoi-bo-nganh": tuple(CENTRAL_KINDS),
    "khoi-dia-phuong": (OrgKind.PROVINCE,),
}
DOCUMENT, MEMBERS = "document", "members"


@dataclass
class BlocFigure:
    bloc: Organisation
    period: datetime.date
    value: Decimal | None
    source: str  # DOCUMENT, MEMBERS, or "" when neither gives a figure
    computed: Rollup  # what the members give, shown beside a document's figure too
    target: Target | None

    @property
    def goal(self) -> Decimal | None:
        return target_value(self.target) if self.target else None

    @property
    def members(self) -> int:
        return self.computed.communes

    @property
    def reported(self) -> int:
        return self.computed.reported


def members(bloc: Organisation, period: datetime.date) -> list[Organisation]:
    kinds = BLOC_MEMBERS.get(bloc.slug, ())
    return list(Organisation.objects.filter(kind__in=kinds).valid_on(month_end(period)))


def blocs() -> list[Organisation]:
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=list(BLOC_MEMBERS))}
    return [found[slug] for slug in BLOC_MEMBERS if slug in found]


def bloc_target(indicator: Indicator, bloc: Organisation, period: datetime.date):
    """The bloc's target that the period counts towards: the nearest one not yet past."""
    return (Target.objects.filter(indicator=indicator, organisation=bloc,
                                  period_end__gte=month_end(period))
            .order_by("period_end").first())


def bloc_figure(indicator: Indicator, bloc: Organisation, period: datetime.date) -> BlocFigure:
    period = period.replace(day=1)
    stated = Observation.objects.filter(indicator=indicator, organisation=bloc,
                                        period=period).first()
    computed = rollup(indicator, bloc, period, communes=members(bloc, period))
    if stated is not None:
        value, source = stated.value, DOCUMENT
    elif computed.value is not None:
        value, source = computed.value, MEMBERS
    else:
        value, source = None, ""
    return BlocFigure(bloc, period, value, source, computed,
                      bloc_target(indicator, bloc, period))


def bloc_figures(indicator: Indicator, period: datetime.date) -> list[BlocFigure]:
    return [bloc_figure(indicator, bloc, period) for bloc in blocs()]
