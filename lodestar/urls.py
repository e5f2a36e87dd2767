from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from lodestar.api.api import api
from lodestar.core.views import healthz
from lodestar.notifications.views import unsubscribe
from lodestar.onboarding import views as onboarding
from lodestar.orgs.views.people import root
from lodestar.pages.urls import directory_urls, getting_started_urls, strategy_urls
from lodestar.sso import views as sso

# The admin has no sign-in of its own: /admin/login/ leads to allauth's, whose failed-sign-in
# limits (per address and per account) hold for staff too; signed-in non-staff get a 403.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", root, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/sso/", sso.start, name="sso_start"),
    path("accounts/saml/<str:organization_slug>/acs/finish/", sso.finish_saml, name="saml_finish_acs"),
    path("accounts/saml/<str:organization_slug>/sls/", sso.saml_logout, name="saml_sls"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("scim/v2/", include("lodestar.scim.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("setup/", onboarding.first_run_setup, name="setup"),
    path("invitations/<str:token>/", onboarding.accept, name="invitation"),
    path("organizations/new/", onboarding.new_organization, name="new_organization"),
    path("<slug:org_slug>/", include("lodestar.okrs.urls")),
    path("<slug:org_slug>/", include("lodestar.orgs.urls")),
    path("<slug:org_slug>/", include("lodestar.onboarding.urls")),
    path("<slug:org_slug>/", include("lodestar.search.urls")),
    path("<slug:org_slug>/", include(strategy_urls)),
    path("<slug:org_slug>/", include(directory_urls)),
    path("<slug:org_slug>/", include(getting_started_urls)),
    path("<slug:org_slug>/", include("lodestar.kpis.urls")),
    path("<slug:org_slug>/", include("lodestar.conversations.urls")),
    path("<slug:org_slug>/", include("lodestar.activity.urls")),
    path("<slug:org_slug>/", include("lodestar.notifications.urls")),
    path("<slug:org_slug>/", include("lodestar.api.urls")),
    path("<slug:org_slug>/", include("lodestar.webhooks.urls")),
    path("<slug:org_slug>/", include("lodestar.audit.urls")),
    path("<slug:org_slug>/", include("lodestar.sso.urls")),
    path("<slug:org_slug>/", include("lodestar.feeds.urls")),
    path("<slug:org_slug>/", include("lodestar.rollout.urls")),
    path("<slug:org_slug>/", include("lodestar.scim.urls")),
]
