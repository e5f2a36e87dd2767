from django.urls import path

from lodestar.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("people/invite/", views.invite, name="invite"),
    path("people/invitations/", views.invitations, name="invitations"),
    path("people/invitations/<int:invitation_id>/resend/", views.resend, name="resend"),
    path("people/invitations/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
]
