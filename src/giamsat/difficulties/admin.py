from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.difficulties.models import Difficulty, Responsibility


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Difficulty)
class DifficultyAdmin(SimpleHistoryAdmin):
    list_display = ["problem", "raised_by", "raised_on", "state", "deadline_due"]
    list_filter = ["state"]
    search_fields = ["problem", "solution", "area"]
    raw_id_fields = ["document", "merged_into", "tasks", "directive"]
    autocomplete_fields = ["raised_by"]
    inlines = [ResponsibilityInline]
