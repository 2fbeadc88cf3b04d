import datetime
from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat.indicators.blocs import bloc_figure, bloc_figures
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource, Unit
from giamsat.indicators.summary import (
    agency_table,
    effective_date,
    indicator_card,
    indicator_cards,
    known_by,
    map_values,
    national,
    target_value,
)
from giamsat.ingest import behind
from giamsat.lib.months import month_end, previous_month
from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.reporting.periods import parse_month_as_written
from giamsat.web import params

# How many months the per-agency table shows by default (appendix 03 shows three).
TABLE_MONTHS = 3


@require_safe
def indicator_list(request):
    as_of, bad_date = params.as_of(request)
    cards = indicator_cards(as_of)
    cards.sort(key=lambda card: (card.indicator.area, card.indicator.name))
    groups = [(area, list(items)) for area, items in
              groupby(cards, key=lambda card: card.indicator.area)]
    return render(request, "web/indicator_list.html", {
        "as_of": as_of, "bad_date": bad_date, "groups": groups,
        "proposed": Indicator.objects.filter(proposed=True).order_by("name"),
    })


@require_safe
def indicator_detail(request, code):
    as_of, bad_date = params.as_of(request)
    indicator = get_object_or_404(Indicator, code=code)
    nation = national()
    holder = Organisation.objects.filter(slug=request.GET.get("co_quan", "")).first() or nation
    graph = OrgGraph.load()
    card = indicator_card(indicator, as_of, holder)
    months_with_data = sorted(
        set(Observation.objects.filter(indicator=indicator, period__lte=as_of)
            .exclude(organisation=nation).values_list("period", flat=True)), reverse=True)
    problems = []
    last = parse_month_as_written(request.GET.get("thang", ""))
    if request.GET.get("thang") and last is None:
        problems.append(_("“%(text)s” is not a month; write it as mm/yyyy.")
                        % {"text": request.GET["thang"]})
    if last is None:
        last = months_with_data[0] if months_with_data else as_of.replace(day=1)
    months = [last]
    while len(months) < TABLE_MONTHS:
        months.insert(0, previous_month(months[0]))
    table = agency_table(indicator, months)
    met_last = table.met(last)
    map_month = last
    return render(request, "web/indicator_detail.html", {
        "indicator": indicator, "as_of": as_of, "bad_date": bad_date, "card": card,
        "problems": problems,
        "table": table, "months": months, "last": last,
        "months_with_data": months_with_data[:24],
        "met_last": met_last,
        "registered_last": table.registered(last),
        "not_registered_last": table.not_registered(last),
        "central_lines": [line for line in table.lines_in("central")
                          if line.organisation.is_valid_on(month_end(last))],
        "province_lines": [line for line in table.lines_in("provinces")
                           if line.organisation.is_valid_on(month_end(last))],
        "former_lines": [line for line in table.lines
                         if not line.organisation.is_valid_on(month_end(last))],
        "holder": holder, "nation": nation,
        "chart": chart_data(indicator, holder, card, as_of,
                            graph.predecessors(holder) if holder != nation else ()),
        "map": {"month": map_month.strftime("%m/%Y"),
                "unit": "%" if indicator.unit == Unit.PERCENT else "",
                "values": _json_values(map_values(indicator, map_month)),
                "labels": {"value": _("Value"), "target": _("Registered target"),
                           "none": _("No value"),
                           "hoang_sa": _("Hoàng Sa archipelago (Đà Nẵng)"),
                           "truong_sa": _("Trường Sa archipelago (Khánh Hòa)")}},
        "province_kind": OrgKind.PROVINCE,
        "shortfalls": list(behind.named(indicator=indicator)),
        "blocs": [(figure, bloc_figure(indicator, figure.bloc, previous_month(last)))
                  for figure in bloc_figures(indicator, last)],
    })


def _month(day: datetime.date) -> str:
    """Where a point goes on the chart's time axis: the first day of its month, which is
    where the axis puts the month's tick (a value for 31/07 sat beside the tick of 08)."""
    return day.replace(day=1).isoformat()


def chart_data(indicator: Indicator, organisation, card, as_of: datetime.date,
               predecessors=()) -> dict:
    """Monthly values of `organisation` (and of the organisations it carries forward)
    against its monthly registered targets and the target in force, with the trend; each
    point on its month's tick."""
    def series_of(org):
        return [{"date": _month(effective_date(o)), "value": float(o.value)}
                for o in known_by(Observation.objects.filter(indicator=indicator,
                                                             organisation=org), as_of)]

    lines = [{"name": organisation.name, "points": series_of(organisation)}]
    lines += [{"name": str(p), "points": series_of(p), "former": True} for p in predecessors]
    registered = [{"date": _month(t.period_end), "value": float(target_value(t))}
                  for t in Target.objects.filter(indicator=indicator, organisation=organisation,
                                                 source=TargetSource.REGISTERED)
                  .order_by("period_end") if target_value(t) is not None]
    target = None
    if card.target is not None and target_value(card.target) is not None \
            and card.target.source == TargetSource.DIRECTIVE:
        target = {"date": _month(card.target.period_end),
                  "value": float(target_value(card.target)),
                  "aspiration": float(card.target.aspiration)
                  if card.target.aspiration is not None else None}
    trend = None
    if card.projected is not None and card.latest is not None:
        trend = [{"date": _month(effective_date(card.latest)),
                  "value": float(card.latest.value)},
                 {"date": _month(card.target.period_end), "value": float(card.projected)}]
    return {"lines": [line for line in lines if line["points"]], "registered": registered,
            "target": target, "trend": trend,
            "unit": "%" if indicator.unit == Unit.PERCENT else "",
            "labels": {"target": _("Target"), "aspiration": _("Aspiration"),
                       "trend": _("Trend"), "registered": _("Registered monthly target")}}


def _json_values(rows: list[dict]) -> list[dict]:
    return [{**row, "value": float(row["value"]) if row["value"] is not None else None,
             "target": float(row["target"]) if row["target"] is not None else None}
            for row in rows]
