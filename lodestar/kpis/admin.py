from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from lodestar.kpis.models import KPI, KPIGroup, KPIObjective, KPIValue


class KPIValueInline(ReadOnlyTabularInline):
    model = KPIValue


@admin.register(KPI)
class KPIAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "rule", "current_value", "is_healthy"]
    inlines = [KPIValueInline]
    list_filter = ["organization", "rule", "is_healthy"]
    search_fields = ["name"]


admin.site.register([KPIValue, KPIGroup, KPIObjective], ReadOnlyAdmin)
