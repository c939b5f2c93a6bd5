from django.urls import include, path

from wayfinder.directory import views

app_name = "directory"

urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("export/<str:fmt>/", views.export_view, name="export"),
    path("", include("wayfinder.directory.browse.urls")),
]
