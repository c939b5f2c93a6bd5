from django.urls import path

from wayfinder.people import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
]
