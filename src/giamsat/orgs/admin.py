from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.orgs.models import OrgAlias, Organisation, OrgEvent


class AliasInline(admin.TabularInline):
    model = OrgAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "code", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["name", "name_key", "short_name", "aliases__name", "code"]
    inlines = [AliasInline]
    raw_id_fields = ["parent"]


@admin.register(OrgEvent)
class OrgEventAdmin(SimpleHistoryAdmin):
    list_display = ["effective_date", "kind", "source", "target", "legal_basis"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["source__name", "target__name", "legal_basis"]
    raw_id_fields = ["source", "target"]
