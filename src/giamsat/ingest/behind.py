"""Agencies a document names as behind (Shortfall): what each statement concerns, and who
is named for what.

The scorecard, the indicator and task pages, the API, the exports and the monthly
report's "Còn N cơ quan chưa …" sentences all read `named()` and `statements()`, so they
name the same agencies.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import QuerySet

from giamsat.indicators.catalogue import match_indicator
from giamsat.ingest.models import Shortfall
from giamsat.lib.text import fold
from giamsat.tasks.matching import THRESHOLD, similarity, title_words

# "chưa ban hành Kế hoạch …" reads as a task title once the "not yet" is taken off.
_NOT_YET = ("chua hoan thanh ", "chua ")
T = TypeVar("T")


def concerned_indicator(statement: str, indicators: dict[str, T]) -> T | None:
    """The indicator a statement names ("chưa đăng ký chỉ tiêu hồ sơ trực tuyến …"), from
    `indicators` by code (ids, or Indicator rows, some of them not saved yet)."""
    code = match_indicator(statement)
    return indicators.get(code) if code else None


def concerned_task(statement: str, task_words: dict[int, frozenset[str]]) -> int | None:
    """The one task whose title the statement restates, as sure as a proposed merge;
    None when no title is close enough or two are equally close (a person links it)."""
    key = fold(statement)
    for prefix in _NOT_YET:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    words = title_words(key)
    scored = sorted(((similarity(words, other), pk) for pk, other in task_words.items()),
                    reverse=True)
    if not scored or scored[0][0] < THRESHOLD:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def named(organisation_ids: Iterable[int] | None = None, indicator=None, task=None,
          start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet:
    """Shortfalls, newest document first, narrowed as asked."""
    rows = Shortfall.objects.select_related("organisation", "document", "indicator", "task")
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    if task is not None:
        rows = rows.filter(task=task)
    if start is not None:
        rows = rows.filter(as_of__gte=start)
    if end is not None:
        rows = rows.filter(as_of__lte=end)
    return rows.order_by("-as_of", "document_id", "line", "organisation__sort_order",
                         "organisation__name_key")


@dataclass
class Statement:
    """One "Còn N cơ quan chưa …" of one document: the statement and whom it names."""
    statement: str
    as_of: datetime.date | None
    document: object
    line: int
    indicator: object = None
    task: object = None
    organisations: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.organisations)


def statements(start: datetime.date | None = None, end: datetime.date | None = None,
               indicator=None) -> list[Statement]:
    """The shortfalls of documents dated in [start, end], one Statement per list read."""
    grouped: dict[tuple, Statement] = {}
    for row in named(indicator=indicator, start=start, end=end):
        key = (row.document_id, row.line, row.statement)
        if key not in grouped:
            grouped[key] = Statement(row.statement, row.as_of, row.document, row.line,
                                     row.indicator, row.task)
        if row.organisation not in grouped[key].organisations:
            grouped[key].organisations.append(row.organisation)
    return list(grouped.values())


EXPORT_FIELDS = ["id", "organisation_id", "organisation", "named_as", "statement",
                 "indicator", "task_id", "document", "line", "as_of", "raw_text"]


def export_rows(indicator_code: str | None = None) -> list[dict]:
    rows = named()
    if indicator_code:
        rows = rows.filter(indicator__code=indicator_code)
    return [{"id": s.pk, "organisation_id": s.organisation.slug,
             "organisation": s.organisation.name, "named_as": s.named_as,
             "statement": s.statement, "indicator": s.indicator.code if s.indicator else None,
             "task_id": s.task_id, "document": str(s.document), "line": s.line,
             "as_of": s.as_of.isoformat() if s.as_of else None, "raw_text": s.raw_text}
            for s in rows]
