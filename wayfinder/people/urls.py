from django.urls import path

from wayfinder.people import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/duplicates/", views.duplicate_check, name="person_duplicates"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:person_id>/team/add/", views.care_team_add, name="care_team_add"),
    path(
        "people/<uuid:person_id>/team/<uuid:member_id>/remove/",
        views.care_team_remove,
        name="care_team_remove",
    ),
    path(
        "people/<uuid:person_id>/team/<uuid:member_id>/lead/",
        views.care_team_lead,
        name="care_team_lead",
    ),
    path("people/<uuid:person_id>/history/", views.access_history_view, name="person_history"),
    path("people/<uuid:person_id>/forget/", views.person_forget, name="person_forget"),
]
