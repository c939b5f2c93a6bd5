from django.urls import path

from wayfinder.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:measure>.<str:fmt>", views.export, name="export"),
    path("funder/", views.funder_report, name="funder"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run"),
]
