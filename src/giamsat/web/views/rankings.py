"""Xếp hạng: the league tables of one indicator and period, ministries and provinces apart,
and the compliance groups (rankings/tables.py, the same functions as the API, the exports
and the reports)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat.derived import cached
from giamsat.indicators.models import Indicator
from giamsat.rankings.tables import (
    league,
    on_time_groups,
    on_time_thresholds,
    ranked_indicators,
    ranked_periods,
)
from giamsat.reporting.periods import parse_month_as_written, period_key
from giamsat.web import params

# How many periods the picker offers.
PICKER_PERIODS = 36


@require_safe
def rankings(request):
    as_of, bad_date = params.as_of(request)
    problems = []
    choices = list(ranked_indicators())
    code = request.GET.get("chi_tieu", "").strip()
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if code and indicator is None:
        problems.append(_("There is no indicator “%(code)s”; the first one is shown.")
                        % {"code": code})
    indicator = indicator or (choices[0] if choices else None)
    if indicator is not None and indicator not in choices:
        choices.insert(0, indicator)
    context = {"as_of": as_of, "as_of_text": as_of.strftime("%d/%m/%Y"),
               "bad_date": bad_date, "problems": problems,
               "indicators": choices, "indicator": indicator,
               # Cached per data version, as the dashboard's figures are (derived.py).
               "on_time": cached("on_time_groups", (as_of, settings.RANKING_ON_TIME_GROUPS),
                                 lambda: on_time_groups(as_of)),
               "on_time_thresholds": on_time_thresholds()}
    if indicator is None:
        return render(request, "web/rankings.html", context)
    periods = ranked_periods(indicator, as_of)
    written = request.GET.get("thang", "").strip()
    period = parse_month_as_written(written) if written else None
    if written and period is None:
        problems.append(_("“%(text)s” is not a month; write it as mm/yyyy.") % {"text": written})
    period = period or (periods[0] if periods else None)
    ranking = cached("league", (indicator.pk, period, as_of, settings.RANKING_TARGET_GROUPS),
                     lambda: league(indicator, period, as_of))
    if ranking.period is not None and ranking.period not in periods:
        periods = sorted({*periods, ranking.period}, reverse=True)
    context.update(ranking=ranking, periods=periods[:PICKER_PERIODS],
                   central=ranking.bloc("central"), provinces=ranking.bloc("provinces"),
                   keep={"chi_tieu": indicator.code,
                         **({"thang": period_key(ranking.period)} if ranking.period else {})})
    return render(request, "web/rankings.html", context)
