from django.contrib import admin

from lodestar.kpis.models import KPI, KPIGroup, KPIObjective, KPIValue


class KPIValueInline(admin.TabularInline):
    model = KPIValue
    raw_id_fields = ["author"]
    extra = 0


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "rule", "current_value", "is_healthy"]
    inlines = [KPIValueInline]
    list_filter = ["organization", "rule", "is_healthy"]
    raw_id_fields = ["owner"]
    readonly_fields = ["current_value", "is_healthy"]


admin.site.register([KPIValue, KPIGroup, KPIObjective])
