from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.reporting.models import ReportedValue, Submission


class ReportedValueInline(admin.TabularInline):
    model = ReportedValue
    extra = 0
    readonly_fields = ["indicator", "kind", "value", "numerator", "denominator", "note"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "period", "state", "submitted_at", "reviewed_at"]
    list_filter = ["state", "period"]
    search_fields = ["organisation__name", "organisation__name_key"]
    readonly_fields = ["version", "created_by", "submitted_by", "submitted_at",
                       "first_submitted_at", "reviewed_by", "reviewed_at"]
    inlines = [ReportedValueInline]
