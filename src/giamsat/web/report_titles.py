"""What pages call an agency report: "Báo cáo tháng 07/2025" for the monthly regime, as
they always have, "Báo cáo Quý II/2025" for the others (rules.label writes the period)."""

from django.utils.translation import gettext as _

from giamsat.reporting import rules


def is_monthly(regime) -> bool:
    return regime.period_type == "month"


def report_title(regime, period) -> str:
    if is_monthly(regime):
        return _("Report for %(month)s") % {"month": f"{period:%m/%Y}"}
    return _("Report for %(period)s") % {"period": rules.label(regime, period)}


def submit_title(regime, period) -> str:
    if is_monthly(regime):
        return _("Submit the report for %(month)s") % {"month": f"{period:%m/%Y}"}
    return _("Submit the report for %(period)s") % {"period": rules.label(regime, period)}


def reports_title(regime, period) -> str:
    """The heading of a round of reports (the review queue)."""
    if is_monthly(regime):
        return _("Reports for %(month)s") % {"month": f"{period:%m/%Y}"}
    return _("Reports for %(period)s") % {"period": rules.label(regime, period)}


def submitted_message(submission) -> str:
    if is_monthly(submission.regime):
        return _("The report for %(period)s has been submitted to the standing office.") % {
            "period": f"{submission.period:%m/%Y}"}
    return _("The report “%(period)s” has been submitted to the standing office.") % {
        "period": submission.period_label}


def reviewed_message(submission, returned: bool) -> str:
    said = {"org": submission.organisation.name}
    if is_monthly(submission.regime):
        said["period"] = f"{submission.period:%m/%Y}"
        return (_("Returned the report of %(org)s for %(period)s with your comment.")
                if returned else _("Approved the report of %(org)s for %(period)s.")) % said
    said["period"] = submission.period_label
    return (_("Returned the report “%(period)s” of %(org)s with your comment.")
            if returned else _("Approved the report “%(period)s” of %(org)s.")) % said
