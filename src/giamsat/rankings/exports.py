"""League tables and compliance groups as flat rows for CSV/JSON/XLSX export (field names
are public), from the same functions as the rankings page (tables.py)."""

import datetime
from decimal import Decimal

from giamsat.indicators.models import Indicator
from giamsat.rankings.tables import league, on_time_groups, ranked_indicators

RANKING_FIELDS = [
    "indicator", "period", "bloc", "rank", "rank_change", "organisation", "organisation_id",
    "value", "target", "met", "change", "previous_value", "target_share", "group",
]
COMPLIANCE_FIELDS = [
    "bloc", "organisation", "organisation_id", "due_total", "due_on_time", "on_time_share",
    "group",
]


def _number(value, places: int | None = None) -> str | None:
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value.normalize(), "f")


def ranking_rows(as_of: datetime.date, indicator: str | None = None,
                 period: datetime.date | None = None) -> list[dict]:
    """The league tables of one indicator (its code) for `period`, or of every indicator
    with agency values for its latest period known by `as_of`."""
    indicators = (list(Indicator.objects.filter(code=indicator)) if indicator
                  else list(ranked_indicators()))
    rows = []
    for found in indicators:
        ranking = league(found, period, as_of)
        if ranking.period is None:
            continue
        for table in ranking.tables:
            for row in table.rows:
                rows.append({
                    "indicator": found.code, "period": ranking.period.strftime("%Y-%m"),
                    "bloc": table.bloc, "rank": row.rank, "rank_change": row.rank_change,
                    "organisation": row.agency.name, "organisation_id": row.agency.slug,
                    "value": _number(row.value), "target": _number(row.target),
                    "met": row.met, "change": _number(row.change),
                    "previous_value": _number(row.previous_value),
                    "target_share": _number(table.score(row), 2),
                    "group": table.group(row),
                })
    return rows


def compliance_rows(as_of: datetime.date) -> list[dict]:
    """Agencies' groups by the share of their lead assignments due by `as_of` that were
    completed on time."""
    return [{"bloc": bloc.bloc, "organisation": line.organisation.name,
             "organisation_id": line.organisation.slug, "due_total": line.due,
             "due_on_time": line.on_time, "on_time_share": _number(line.share, 2),
             "group": line.group}
            for bloc in on_time_groups(as_of) for line in bloc.lines]
