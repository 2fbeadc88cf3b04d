from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.tasks.models import Assignment, Task, Update


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "directive", "area", "deadline_text", "deadline_due"]
    list_filter = ["deadline_kind", "area", "directive"]
    search_fields = ["title_key", "title"]
    inlines = [AssignmentInline]
    raw_id_fields = ["directive", "import_run"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["task", "organisation", "role", "completed_on"]
    list_filter = ["role"]
    search_fields = ["task__title_key", "organisation__name"]
    raw_id_fields = ["task", "organisation"]


@admin.register(Update)
class UpdateAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "period", "status", "review_state"]
    list_filter = ["review_state", "status", "period"]
    raw_id_fields = ["assignment", "created_by", "reviewed_by"]
