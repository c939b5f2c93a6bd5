"""The navigator's side of the portal (staff pages): issuing an invitation on the person's page."""

from django.urls import path

from wayfinder.portal import views

app_name = "portal_staff"

urlpatterns = [
    path("people/<uuid:person_id>/invite/", views.invite, name="invite"),
]
