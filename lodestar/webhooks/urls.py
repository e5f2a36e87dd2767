from django.urls import path

from lodestar.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("settings/webhooks/", views.webhooks, name="webhooks"),
    path("settings/webhooks/<int:webhook_id>/", views.webhook, name="webhook"),
    path("settings/webhooks/<int:webhook_id>/ping/", views.webhook_ping, name="webhook_ping"),
    path("settings/webhooks/<int:webhook_id>/secret/", views.webhook_secret, name="webhook_secret"),
    path("settings/webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path("settings/webhooks/deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
]
