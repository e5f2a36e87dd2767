from django.contrib import admin

from lodestar.core.admin import ReadOnlyAdmin
from lodestar.strategy.models import Pillar, Strategy


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    list_display = ["organization", "updated_at"]


@admin.register(Pillar)
class PillarAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "organization", "position"]
    list_filter = ["organization", "year"]
    search_fields = ["name"]
