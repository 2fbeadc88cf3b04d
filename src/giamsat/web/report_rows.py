"""Which rows of the month's task grid the report page shows (report.html).

A ministry has a few hundred assignments: all at once make a 40,000 px page on a phone.
With many rows the page shows by default only the lead rows still to update this month
(not completed, not yet in this month's report), a page of them at a time; "show all"
shows every row on one page. Rows not shown
are not in the form, so saving leaves them as they are.
"""

from dataclasses import dataclass, field

from giamsat.tasks.models import Role
from giamsat.tasks.status import TaskStatus

MANY = 20  # more rows than this: the filter is on unless the reader asks for all
PAGE = 20  # rows per page
SHOW = "hien"  # query parameter: TO_UPDATE or ALL
TO_UPDATE, ALL = "can-cap-nhat", "tat-ca"
PAGE_PARAM = "trang"


def to_update(assignment) -> bool:
    """A lead row the agency has still to say something about this month."""
    return (assignment.role == Role.LEAD and assignment.report_update is None
            and not TaskStatus(assignment.status).is_completed)


@dataclass
class RowView:
    rows: list  # the rows on this page
    total: int  # rows of the report in all
    filtered: bool  # only the rows still to update
    matching: int  # rows the filter keeps (all rows when not filtered)
    page: int = 1
    pages: int = 1
    query: dict = field(default_factory=dict)  # the parameters that give this view

    @property
    def many(self) -> bool:
        return self.total > MANY

    def link(self, **changes) -> str:
        """The query string of this view with `changes` (None drops a parameter)."""
        from urllib.parse import urlencode

        query = {**self.query, **changes}
        return "?" + urlencode({k: v for k, v in query.items() if v is not None})

    @property
    def previous_link(self) -> str:
        return self.link(**{PAGE_PARAM: self.page - 1}) if self.page > 1 else ""

    @property
    def next_link(self) -> str:
        return self.link(**{PAGE_PARAM: self.page + 1}) if self.page < self.pages else ""

    @property
    def all_link(self) -> str:
        return self.link(**{SHOW: ALL, PAGE_PARAM: None})

    @property
    def to_update_link(self) -> str:
        return self.link(**{SHOW: TO_UPDATE, PAGE_PARAM: None})


def choose(assignments: list, params, posted: list | None = None) -> RowView:
    """The rows to show for the query `params`; `posted` (assignment ids of a refused
    grid, in order) are shown again exactly, so that nothing typed is lost."""
    shown = params.get(SHOW)
    filtered = shown == TO_UPDATE or (shown != ALL and len(assignments) > MANY)
    matching = [a for a in assignments if to_update(a)] if filtered else list(assignments)
    # The agency's own tasks first: the page it reports on, before those it only helps
    # with (a stable sort keeps the grid's order within each).
    matching.sort(key=lambda a: a.role != Role.LEAD)
    # Pages of the rows still to update; "show all" shows them all (its groups start
    # folded but the one due, so the page stays readable).
    pages = max(1, -(-len(matching) // PAGE)) if filtered else 1
    try:
        page = min(max(1, int(params.get(PAGE_PARAM, 1))), pages)
    except (TypeError, ValueError):
        page = 1
    rows = matching[(page - 1) * PAGE:page * PAGE] if filtered else matching
    if posted is not None:
        by_id = {str(a.pk): a for a in assignments}
        rows = [by_id[pk] for pk in map(str, posted) if pk in by_id]
    query = {SHOW: TO_UPDATE if filtered else ALL}
    if page > 1:
        query[PAGE_PARAM] = page
    return RowView(rows, len(assignments), filtered, len(matching), page, pages, query)
