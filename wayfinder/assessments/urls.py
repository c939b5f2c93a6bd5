from django.urls import path

from wayfinder.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("person/<uuid:person_id>/", views.person_overview, name="person"),
    path("person/<uuid:person_id>/start/", views.start, name="start"),
    path("person/<uuid:person_id>/needs/", views.needs, name="needs"),
    path("person/<uuid:person_id>/trajectory/", views.trajectory, name="trajectory"),
    path("needs/<uuid:need_id>/edit/", views.need_edit, name="need_edit"),
    path("session/<uuid:session_id>/", views.session_entry, name="session"),
    path("session/<uuid:session_id>/section/<int:index>/", views.section, name="section"),
    path(
        "session/<uuid:session_id>/section/<int:index>/visible/",
        views.section_visible,
        name="section_visible",
    ),
    path("session/<uuid:session_id>/review/", views.review, name="review"),
    path("session/<uuid:session_id>/record/", views.record_update, name="record_update"),
    path("session/<uuid:session_id>/complete/", views.complete, name="complete"),
    path("session/<uuid:session_id>/stop/", views.stop, name="stop"),
    path("session/<uuid:session_id>/detail/", views.detail, name="detail"),
    path("session/<uuid:session_id>/handover/", views.handover_start, name="handover"),
    path("session/<uuid:session_id>/handback/", views.handback, name="handback"),
    path("session/<uuid:session_id>/language/", views.handover_language, name="language"),
    path("session/<uuid:session_id>/thanks/", views.thanks, name="thanks"),
    path("session/<uuid:session_id>/crisis/", views.crisis, name="crisis"),
    path("session/<uuid:session_id>/break/", views.take_break, name="break"),
    path("flags/<uuid:flag_id>/", views.flag, name="flag"),
]
