"""The directory's own pages (mounted under /directory/ by urls.py, namespace "directory")."""

from django.urls import path

from wayfinder.directory.browse import views as browse_views

urlpatterns = [
    path("", browse_views.browse, name="browse"),
    path("capacity/", browse_views.capacity_page, name="capacity_page"),
    path("services/<str:pk>/", browse_views.service_detail, name="service"),
    path("services/<str:pk>/capacity/", browse_views.capacity_update, name="capacity"),
    path("services/<str:pk>/edit/", browse_views.service_edit, name="service_edit"),
]
