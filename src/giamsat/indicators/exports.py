"""Indicators and their values as flat rows for CSV/JSON export (field names are public).

Observations and registered or directive targets come out in one table, told apart by
`kind` (actual | target), so that a spreadsheet can set them side by side.
"""

from giamsat.indicators.models import Indicator, Observation, Target

INDICATOR_FIELDS = [
    "id", "name", "unit", "direction", "frequency", "accumulation", "area", "proposed",
]
OBSERVATION_FIELDS = [
    "indicator", "organisation", "organisation_id", "period", "value", "kind",
    "target_level", "observed_on", "source",
]


def indicator_rows() -> list[dict]:
    return [
        {"id": i.code, "name": i.name, "unit": i.unit, "direction": i.direction,
         "frequency": i.frequency, "accumulation": i.accumulation, "area": i.area,
         "proposed": i.proposed}
        for i in Indicator.objects.order_by("code")
    ]


def _number(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def observation_rows(indicator: str | None = None) -> list[dict]:
    """Values and targets; of one indicator (its code) when given."""
    observations = Observation.objects.select_related("indicator", "organisation")
    targets = Target.objects.select_related("indicator", "organisation", "directive")
    if indicator:
        observations = observations.filter(indicator__code=indicator)
        targets = targets.filter(indicator__code=indicator)
    rows = [
        {"indicator": o.indicator.code, "organisation": o.organisation.name,
         "organisation_id": o.organisation.slug, "period": o.period.strftime("%Y-%m"),
         "value": _number(o.value), "kind": "actual", "target_level": "",
         "observed_on": o.observed_on.isoformat() if o.observed_on else None,
         "source": o.source}
        for o in observations.order_by("indicator__code", "organisation__name", "period")
    ]
    for t in targets.order_by("indicator__code", "organisation__name", "period_end"):
        for level, value in (("minimum", t.minimum), ("aspiration", t.aspiration)):
            if value is None:
                continue
            rows.append({
                "indicator": t.indicator.code, "organisation": t.organisation.name,
                "organisation_id": t.organisation.slug,
                "period": (t.period_start or t.period_end).strftime("%Y-%m"),
                "value": _number(value), "kind": "target", "target_level": level,
                "observed_on": t.period_end.isoformat(),
                "source": t.get_source_display() + (f" — {t.directive}" if t.directive else ""),
            })
    return rows
