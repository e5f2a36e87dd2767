from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lodestar.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from lodestar.audit import listeners, second_factor

        listeners.subscribe_all()
        second_factor.connect()
