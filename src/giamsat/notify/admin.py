from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.notify.models import EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "organisation", "period", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["user__username", "user__last_name", "organisation__name", "text"]
    list_select_related = ["user", "organisation"]
    # Written by the workflow and the reminders only; the admin shows them.
    readonly_fields = ["user", "kind", "organisation", "submission", "period", "day", "actor",
                       "text", "link", "created_at", "read_at", "message", "in_digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "email", "updated_at"]
    list_filter = ["email"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
