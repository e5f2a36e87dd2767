from django.contrib import admin
from django.urls import include, path

from lodestar.core.views import healthz
from lodestar.orgs.views.directory import root

urlpatterns = [
    path("", root, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("<slug:org_slug>/", include("lodestar.okrs.urls")),
    path("<slug:org_slug>/", include("lodestar.orgs.urls")),
    path("<slug:org_slug>/", include("lodestar.search.urls")),
    path("<slug:org_slug>/", include("lodestar.strategy.urls")),
    path("<slug:org_slug>/", include("lodestar.kpis.urls")),
]
