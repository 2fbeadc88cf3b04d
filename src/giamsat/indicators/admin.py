from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.indicators.models import Indicator, Observation, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "direction", "frequency", "accumulation"]
    search_fields = ["name", "name_key", "code"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "organisation", "period_end", "minimum", "aspiration", "source"]
    list_filter = ["source", "indicator"]
    raw_id_fields = ["organisation", "directive", "import_run"]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "organisation", "period", "value"]
    list_filter = ["indicator", "period"]
    raw_id_fields = ["organisation", "import_run"]
