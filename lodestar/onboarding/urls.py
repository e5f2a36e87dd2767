from django.urls import path

from lodestar.onboarding import views, views_import

app_name = "onboarding"
urlpatterns = [
    path("people/invite/", views.invite, name="invite"),
    path("people/invitations/", views.invitations, name="invitations"),
    path("people/invitations/<int:invitation_id>/resend/", views.resend, name="resend"),
    path("people/invitations/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
    path("people/import/", views_import.upload, name="people_import"),
    path("people/import/template.csv", views_import.template_csv, name="people_import_template_csv"),
    path("people/import/template.xlsx", views_import.template_xlsx, name="people_import_template_xlsx"),
    path("people/import/<int:import_id>/", views_import.preview, name="people_import_preview"),
    path("people/import/<int:import_id>/apply/", views_import.apply, name="people_import_apply"),
    path("people/import/<int:import_id>/send/", views_import.send, name="people_import_send"),
]
