"""Numbers and dates the Vietnamese way: 68,8%; 1.012; 18/07/2025 (English: 68.8%)."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.tasks.status import TaskStatus

register = template.Library()


def _number(value):
    if isinstance(value, Fraction):
        return float(value)
    return value


@register.filter
def percent(value, digits: int = 1):
    """A share (0–1) as a percentage: 0.6875 → "68,8%"."""
    if value is None or value == "":
        return "—"
    return f"{floatformat(_number(value) * 100, f'{digits}g')}%"


@register.filter
def rate(value, digits: int = 1):
    """A value already in percent: 40.1 → "40,1%"."""
    if value is None or value == "":
        return "—"
    return f"{floatformat(_number(value), f'{digits}g')}%"


@register.filter
def number(value, digits: int = 0):
    """A number with the locale's grouping and decimal mark: 1012.5 → "1.012,5"."""
    if value is None or value == "":
        return "—"
    value = _number(value)
    if digits == 0 and isinstance(value, Decimal) and value != value.to_integral_value():
        digits = -2  # keep up to two decimals a value really has
    return floatformat(value, f"{digits}g")


@register.filter
def value_in(value, indicator):
    """A value in its indicator's unit: "40,1%", "16.171.976", "423.378 tỷ đồng", "166,99 Mbps"."""
    if value is None or value == "":
        return "—"
    unit = getattr(indicator, "unit", "")
    if unit == "percent":
        return rate(value, 2 if Decimal(str(value)) != round(Decimal(str(value)), 1) else 1)
    text = number(value)
    suffix = {"vnd_billion": _("billion VND"), "usd_million": _("million USD"),
              "mbps": "Mbps", "tbps": "Tbps"}.get(unit)
    return f"{text} {suffix}" if suffix else text


@register.filter
def dmy(day):
    if not day:
        return "—"
    if isinstance(day, str):  # an ISO date kept in JSON (an import's summary)
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            return day
    if isinstance(day, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(day).strftime("%H:%M %d/%m/%Y")
    return day.strftime("%d/%m/%Y")


@register.filter
def month_label(day):
    return day.strftime("%m/%Y") if day else "—"


@register.simple_tag
def status_badge(status):
    if not status:
        return ""
    status = TaskStatus(status)
    return format_html('<span class="badge s-{}">{}</span>', status.value, status.label)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination, tabs)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None or value == "":
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


BAR_ORDER = (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE, TaskStatus.IN_PROGRESS,
             TaskStatus.NOT_STARTED, TaskStatus.OVERDUE, TaskStatus.RECURRING,
             TaskStatus.COMPLETED_UNDATED, TaskStatus.UNDATED, TaskStatus.UNASSIGNED)


@register.inclusion_tag("web/_status_bar.html")
def status_bar(counts, label=""):
    """A stacked bar of statuses, drawn as SVG (no inline styles: the CSP forbids them)."""
    total = sum(counts.values()) if counts else 0
    parts, x = [], 0.0
    for status in BAR_ORDER:
        n = counts.get(status, 0) if counts else 0
        if not n:
            continue
        width = 100.0 * n / total
        parts.append({"status": status.value, "label": status.label, "n": n,
                      "x": f"{x:.3f}", "width": f"{width:.3f}"})
        x += width
    return {"parts": parts, "total": total, "label": label}


@register.inclusion_tag("web/_share_bar.html")
def share_bar(share, label=""):
    """A bar filled to `share` (0–1)."""
    share = 0.0 if share is None else max(0.0, min(1.0, float(share)))
    return {"width": f"{100 * share:.3f}", "share": share, "label": label}


@register.filter
def div(numerator, denominator):
    """numerator / denominator as a Fraction, None when the denominator is 0."""
    if not denominator:
        return None
    return Fraction(int(numerator or 0), int(denominator))


SECTION_KINDS = {
    "task_table": gettext_lazy("Table of tasks"),
    "completed_tasks": gettext_lazy("Completed tasks"),
    "overdue_tasks": gettext_lazy("Overdue tasks"),
    "indicator_table": gettext_lazy("Table of indicator values"),
    "indicator_results": gettext_lazy("Results per indicator"),
    "bullet_tasks": gettext_lazy("Tasks listed as bullets"),
    "problems": gettext_lazy("Problems and solutions"),
    "targets": gettext_lazy("Targets"),
    "indicator_statements": gettext_lazy("Indicator values in the text"),
    "agency_lists": gettext_lazy("Agencies named as not having done something"),
}


@register.filter
def section_kind(kind: str) -> str:
    """What an import section is, in words (the JSON summary keeps the code)."""
    label = SECTION_KINDS.get(kind)
    return str(label) if label else kind


@register.filter
def signed(value, indicator=None):
    """A change with its sign, in the indicator's unit without the unit: +0,22; −1,5; 0."""
    if value is None or value == "":
        return "—"
    text = number(abs(Decimal(str(value))).normalize(), -2)
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text


@register.simple_tag
def rank_change(change):
    """↑2 (climbed two places), ↓1, = (same place), — (not ranked then or now)."""
    if change is None:
        return format_html('<span class="rc none" title="{}">—</span>',
                           _("Not ranked in both periods"))
    if change > 0:
        return format_html('<span class="rc up" title="{}">↑{}</span>',
                           _("Up %(n)s") % {"n": change}, change)
    if change < 0:
        return format_html('<span class="rc down" title="{}">↓{}</span>',
                           _("Down %(n)s") % {"n": -change}, -change)
    return format_html('<span class="rc same" title="{}">=</span>', _("Same rank"))


@register.filter
def minimum_label(threshold, unit="%"):
    """A group's threshold as the page writes it: "≥ 90%"."""
    return f"≥ {number(threshold.minimum)}{unit}"


@register.filter
def group_of(table, row):
    """The compliance group of a league table's row (rankings/tables.py BlocTable)."""
    return table.group(row)


@register.simple_tag
def hidden(form, name):
    """A form's hidden field as one plain input: a grid of 170 rows renders its inputs in
    its own template rather than through a widget template each (web/report_forms.py)."""
    field = form[name]
    value = field.value()
    return format_html('<input type="hidden" name="{}" value="{}">', field.html_name,
                       "" if value is None else value)
