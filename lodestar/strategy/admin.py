from django.contrib import admin

from lodestar.strategy.models import Pillar, Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["organization", "updated_at"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "organization", "position"]
    list_filter = ["organization", "year"]
