from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lodestar.orgs"
    label = "orgs"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from lodestar.orgs.signin import adopt_browser_language

        user_logged_in.connect(adopt_browser_language, dispatch_uid="lodestar.orgs.adopt_browser_language")
