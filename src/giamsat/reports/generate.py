"""Writing a report asked for on the Báo cáo page or by `giamsat report`: build the model,
render the file, keep it; in a background job (giamsat.jobs: the worker process) with its
stages shown on the page. The file is saved at the end: a job cut off half-way leaves none."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from giamsat import jobs
from giamsat.accounts.policy import Action, require
from giamsat.lib.months import month_end
from giamsat.reports.builders import (
    Period,
    Scope,
    Signing,
    default_as_of,
    monthly_report,
    period_report,
)
from giamsat.reports.builders import (
    period_as_of as period_end_as_of,
)
from giamsat.reports.models import GeneratedReport, ReportKind, ReportState
from giamsat.reports.pdf import PdfUnavailable
from giamsat.reports.render import render


def build(kind: str, period: datetime.date, as_of: datetime.date | None, scope: Scope,
          proposals: str | None = None, with_charts: bool = True,
          signing: Signing | None = None):
    if kind == ReportKind.MONTHLY:
        return monthly_report(period, as_of, scope, proposals, with_charts=with_charts,
                              signing=signing)
    return period_report(Period.containing(kind, period), as_of, scope,
                         with_charts=with_charts, signing=signing, proposals=proposals)


def period_as_of(kind: str, period: datetime.date) -> datetime.date:
    if kind == ReportKind.MONTHLY:
        return default_as_of(month_end(period))
    return period_end_as_of(Period.containing(kind, period))


def request_report(kind: str, period: datetime.date, fmt: str, user,
                   as_of: datetime.date | None = None, scope: Scope | None = None,
                   proposals: str = "", signing=None) -> GeneratedReport:
    require(user, Action.GENERATE_REPORT)
    scope = scope or Scope()
    with transaction.atomic():
        report = GeneratedReport.objects.create(
            kind=kind, period=period, as_of=as_of or period_as_of(kind, period), format=fmt,
            scope=scope.as_json(), proposals=proposals, created_by=user,
            signing=(signing or Signing()).as_json())
        jobs.start(report, write_report, report.pk)
    report.refresh_from_db()
    return report


STAGES = [
    (1, lambda: _("Computing the figures")),
    (2, lambda: _("Writing the document")),
    (3, lambda: _("Saving the file")),
]


@task()
def write_report(report_id: int) -> None:
    """The job of a report: its figures, its document, its file."""
    report = GeneratedReport.objects.get(pk=report_id)
    if report.state != ReportState.RUNNING:
        return
    try:
        jobs.report(report, 1, 3, str(STAGES[0][1]()))
        model = build(report.kind, report.period, report.as_of,
                      Scope.from_json(report.scope),
                      report.proposals if report.proposals.strip() else None,
                      signing=Signing.from_json(report.signing))
        jobs.report(report, 2, 3, str(STAGES[1][1]()))
        data = render(model, report.format)
        jobs.report(report, 3, 3, str(STAGES[2][1]()))
        report.job_done = report.job_total = 3
        report.file.save(report.filename, ContentFile(data), save=False)
        report.size, report.figures = len(data), _json_safe(model.figures)
        report.state = ReportState.READY
    except PdfUnavailable as error:
        report.state, report.error = ReportState.FAILED, str(error)
    except Exception as error:
        report.state, report.error = ReportState.FAILED, _("Unexpected error: %(error)s") % {
            "error": error}
        report.finished_at = timezone.now()
        report.save()
        raise
    report.finished_at = timezone.now()
    report.save()


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value
