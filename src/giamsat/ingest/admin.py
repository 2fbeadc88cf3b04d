from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.ingest.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(SimpleHistoryAdmin):
    list_display = ["started_at", "state", "as_of", "user"]
    list_filter = ["state"]
    readonly_fields = ["files", "summary", "error"]
