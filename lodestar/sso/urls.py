from django.urls import path

from lodestar.sso import views

app_name = "sso"
urlpatterns = [
    path("settings/sso/", views.sso_settings, name="settings"),
    path("settings/sso/saml/", views.saml_settings, name="saml_settings"),
    path("settings/sso/policy/", views.sso_policy, name="policy"),
    path("settings/sso/remove/", views.sso_remove, name="remove"),
    path("settings/sso/domains/", views.domain_add, name="domain_add"),
    path("settings/sso/domains/<int:domain_id>/check/", views.domain_check, name="domain_check"),
    path("settings/sso/domains/<int:domain_id>/remove/", views.domain_remove, name="domain_remove"),
]
