from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SSOConfig(AppConfig):
    name = "lodestar.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        from allauth.account import signals

        from lodestar.sso.services import signed_in

        signals.user_logged_in.connect(signed_in, dispatch_uid="lodestar.sso.signed_in")
