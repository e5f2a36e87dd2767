from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lodestar.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from lodestar.audit import second_factor

        second_factor.connect()
