from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.reporting.models import Regime, RegimeIndicator, ReportedValue, Submission


class ReportedValueInline(admin.TabularInline):
    model = ReportedValue
    extra = 0
    readonly_fields = ["indicator", "kind", "value", "numerator", "denominator", "note"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "regime", "period", "state", "submitted_at", "reviewed_at"]
    list_filter = ["state", "regime", "period"]
    search_fields = ["organisation__name", "organisation__name_key"]
    # The workflow (reporting/workflow.py) is the only way a report changes state: the
    # admin shows reports but cannot approve, return or create one behind its back.
    readonly_fields = ["organisation", "regime", "period", "state", "version", "created_by",
                       "submitted_by", "submitted_at", "first_submitted_at", "reviewed_by",
                       "reviewed_at", "review_comment", "reopened_until", "reopen_reason"]
    inlines = [ReportedValueInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegimeIndicatorInline(admin.TabularInline):
    model = RegimeIndicator
    extra = 0
    raw_id_fields = ["indicator"]
    filter_horizontal = ["exempt"]


@admin.register(Regime)
class RegimeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "period_type", "cutoff", "due_day", "is_active"]
    inlines = [RegimeIndicatorInline]
