from django.urls import path

from wayfinder.plans import views

app_name = "plans"

urlpatterns = [
    path("person/<uuid:person_id>/", views.plan, name="plan"),
    path("person/<uuid:person_id>/print/", views.plan_print, name="print"),
    path("person/<uuid:person_id>/goals/new/", views.goal_create, name="goal_create"),
    path("person/<uuid:person_id>/notes/new/", views.note_create, name="note_create"),
    path("goals/<uuid:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<uuid:goal_id>/status/", views.goal_status, name="goal_status"),
    path("goals/<uuid:goal_id>/steps/new/", views.step_create, name="step_create"),
    path("steps/<uuid:step_id>/status/", views.step_status, name="step_status"),
]
