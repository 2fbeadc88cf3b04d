"""Báo cáo: write the monthly, quarterly, half-year or yearly report from the data, then
download it."""


from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat import jobs
from giamsat.accounts.policy import Action, allowed, require
from giamsat.directives.models import Directive
from giamsat.lib.ids import parse_id
from giamsat.lib.months import previous_month
from giamsat.reporting.periods import parse_month_as_written
from giamsat.reports.builders import Period, Scope, Signing, default_proposals
from giamsat.reports.generate import request_report
from giamsat.reports.models import GeneratedReport, ReportFormat, ReportKind, ReportState
from giamsat.reports.pdf import soffice
from giamsat.reports.render import FORMATS
from giamsat.web import params
from giamsat.web.jobs import job_context
from giamsat.web.writes import write_action


@write_action(Action.VIEW)
def report_list(request):
    """The list of generated reports; the standing office's form posts here too."""
    today = timezone.localdate()
    last_month = previous_month(today.replace(day=1))
    form = {"kind": ReportKind.MONTHLY, "month": last_month.strftime("%m/%Y"),
            "year": str(today.year - (1 if today.month <= 6 else 0)),
            "half": "2" if today.month <= 6 else "1",
            "quarter": str((today.month - 1) // 3 or 4), "format": ReportFormat.DOCX,
            "as_of": "", "directive": "", "source": "",
            "number": "", "issued_on": "", "signer_name": "", "signer_title": "",
            "proposals": default_proposals(last_month)}
    error = None
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        created, error = _create(request, form)
        if created is not None:
            return redirect("web:generated_report", pk=created.pk)
    return render(request, "web/reports.html", {
        "form": form, "error": error, "reports": GeneratedReport.objects.select_related(
            "created_by")[:30],
        "can_generate": allowed(request.user, Action.GENERATE_REPORT),
        "kinds": ReportKind.choices, "formats": ReportFormat.choices,
        "quarters": ["1", "2", "3", "4"],
        "directives": Directive.objects.order_by("-issued_on", "number"),
        "pdf_available": soffice() is not None,
    }, status=400 if error else 200)


def _create(request, form):
    require(request.user, Action.GENERATE_REPORT)
    if form["kind"] == ReportKind.MONTHLY:
        period = parse_month_as_written(form["month"])
        if period is None:
            return None, _("“%(text)s” is not a month; write it as mm/yyyy.") % {
                "text": form["month"]}
    elif form["kind"] in (ReportKind.QUARTER, ReportKind.HALF_YEAR, ReportKind.YEAR):
        try:
            year = int(form["year"])
            if not 2000 <= year <= 2100:
                raise ValueError
            number = {ReportKind.QUARTER: lambda: int(form["quarter"]),
                      ReportKind.HALF_YEAR: lambda: int(form["half"]),
                      ReportKind.YEAR: lambda: 1}[form["kind"]]()
            period = Period(form["kind"], year, number).start
        except ValueError:
            return None, _("Choose a year and, for a quarterly or half-year report, its "
                           "quarter or half.")
    else:
        return None, _("Choose the kind of report.")
    if form["format"] not in ReportFormat.values:
        return None, _("Choose a format.")
    as_of, problem = params.read_day(form["as_of"])
    if problem:
        return None, problem
    directives = ()
    if form["directive"]:
        directive_id = parse_id(form["directive"])
        directive = Directive.objects.filter(pk=directive_id).first() if directive_id else None
        if directive is None:
            return None, _("Unknown directive.")
        directives = (directive.pk,)
    issued_on, problem = params.read_day(form["issued_on"])
    if problem:
        return None, problem
    signing = Signing(form["number"], issued_on, form["signer_name"],
                      tuple(line.strip() for line in form["signer_title"].split("/")
                            if line.strip()))
    scope = Scope(directives, form["source"])
    report = request_report(form["kind"], period, form["format"], request.user, as_of, scope,
                            form["proposals"], signing)
    return report, None


@require_safe
def generated_report(request, pk):
    report = get_object_or_404(GeneratedReport.objects.select_related("created_by"), pk=pk)
    running = report.state == ReportState.RUNNING
    context = {"report": report, "running": running, "progress": jobs.progress(report),
               **job_context(report)}
    template = "web/_report_state.html" if request.headers.get("HX-Request") else \
        "web/generated_report.html"
    return render(request, template, context)


@require_safe
def download_report(request, pk):
    report = get_object_or_404(GeneratedReport, pk=pk)
    if report.state != ReportState.READY or not report.file:
        raise Http404(_("This report has no file yet."))
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename,
                        content_type=FORMATS[report.format][0])

