from django.contrib import admin

from lodestar.audit.models import AuditEvent
from lodestar.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "organization", "actor_label", "action", "target_label", "ip_address"]
    list_filter = ["organization", "action"]
