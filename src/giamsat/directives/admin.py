from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.directives.models import Directive


@admin.register(Directive)
class DirectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "issued_on", "issuer", "title"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]
    raw_id_fields = ["issuer"]
