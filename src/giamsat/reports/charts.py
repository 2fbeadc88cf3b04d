"""Charts for reports, drawn with matplotlib (Agg, no display) as PNG for DOCX and PDF.

matplotlib is imported when a chart is drawn, not with this module: it costs half a
second, and every `giamsat` command would pay it through the report builders.
"""

import functools
import io

from giamsat.indicators.summary import effective_date, target_value
from giamsat.reports import formats as f
from giamsat.reports.document import Chart

# Liberation Serif is metric-compatible with Times New Roman and has every Vietnamese glyph.
FONT = {"family": "serif", "serif": ["Liberation Serif", "Times New Roman", "DejaVu Serif"]}
GREEN, RED, BLUE, GREY = "#2e7d32", "#a4161a", "#1f6fb2", "#7a869a"


@functools.cache
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    from matplotlib import font_manager, pyplot
    from matplotlib.ticker import FuncFormatter

    _only_vietnamese_faces(font_manager)
    return matplotlib, pyplot, FuncFormatter


def _only_vietnamese_faces(font_manager) -> None:
    """Debian installs the old Liberation fonts (for Chromium) beside Liberation 2 under one
    family name; the old ones lack "ệ", "ơ" and the like, and matplotlib may pick them
    (the charts showed boxes). Faces of the chosen families that cannot write Vietnamese
    are dropped from matplotlib's list, so the face that can is used."""
    from matplotlib.ft2font import FT2Font

    families = set(FONT["serif"])
    kept = []
    for entry in font_manager.fontManager.ttflist:
        if entry.name in families:
            try:
                if not FT2Font(entry.fname).get_char_index(ord("ệ")):
                    continue
            except (OSError, RuntimeError):
                continue
        kept.append(entry)
    font_manager.fontManager.ttflist = kept
    font_manager.fontManager._findfont_cached.cache_clear()


def _png(figure) -> bytes:
    pyplot = _matplotlib()[1]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    pyplot.close(figure)
    return buffer.getvalue()


def completion_by_agency(rows, caption: str) -> Chart:
    """Horizontal bars: the share of lead assignments due that each agency completed."""
    matplotlib, pyplot, FuncFormatter = _matplotlib()
    matplotlib.rc("font", **FONT, size=9)
    rows = sorted(rows, key=lambda r: (r.completion or 0, r.organisation.name))
    height = max(2.5, 0.28 * len(rows) + 0.8)
    figure, axes = pyplot.subplots(figsize=(7.2, height))
    shares = [100 * float(r.completion or 0) for r in rows]
    bars = axes.barh([r.organisation.name for r in rows], shares,
                     color=[GREEN if s >= 80 else BLUE if s >= 50 else RED for s in shares])
    for bar, row in zip(bars, rows, strict=True):
        axes.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2,
                  f"{f.share(row.completion)} ({row.due_completed}/{row.due_total})",
                  va="center", fontsize=8)
    axes.set_xlim(0, 118)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
    axes.spines[["top", "right"]].set_visible(False)
    return Chart(_png(figure), caption)


def indicator_trend(card, caption: str) -> Chart:
    """An indicator's values against its target, with the trend to the target date."""
    matplotlib, pyplot, FuncFormatter = _matplotlib()
    matplotlib.rc("font", **FONT, size=9)
    figure, axes = pyplot.subplots(figsize=(7.2, 3.2))
    days = [effective_date(o) for o in card.series]
    values = [float(o.value) for o in card.series]
    axes.plot(days, values, marker="o", color=BLUE, label="Giá trị")
    unit = "%" if card.indicator.unit == "percent" else ""
    if card.target is not None and target_value(card.target) is not None:
        goal = float(target_value(card.target))
        axes.axhline(goal, color=RED, linewidth=1, label=f"Mục tiêu {f.number(goal, 1, True)}"
                     f"{unit}")
        axes.plot([card.target.period_end], [goal], marker="v", color=RED)
        if card.projected is not None and days:
            axes.plot([days[-1], card.target.period_end], [values[-1], float(card.projected)],
                      linestyle="--", color=GREY, label="Xu hướng")
    axes.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: f.number(v, 0) + unit))
    axes.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m/%Y"))
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return Chart(_png(figure), caption)
