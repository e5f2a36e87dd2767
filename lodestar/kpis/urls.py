from django.urls import path

from lodestar.kpis import views

app_name = "kpis"
urlpatterns = [
    path("kpis/", views.kpi_list, name="kpis"),
    path("kpis/new/", views.kpi_create, name="kpi_create"),
    path("kpis/<int:kpi_id>/", views.kpi_detail, name="kpi"),
    path("kpis/<int:kpi_id>/edit/", views.kpi_edit, name="kpi_edit"),
    path("kpis/<int:kpi_id>/delete/", views.kpi_delete, name="kpi_delete"),
    path("kpis/<int:kpi_id>/values/", views.kpi_value_create, name="kpi_value_create"),
    path("kpis/<int:kpi_id>/values/import/", views.kpi_import, name="kpi_import"),
    path("kpi-values/<int:kpi_value_id>/delete/", views.kpi_value_delete, name="kpi_value_delete"),
]
