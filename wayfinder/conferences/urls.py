from django.urls import path

from wayfinder.conferences import views

app_name = "conferences"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("m/<uuid:meeting_id>/", views.meeting, name="meeting"),
    path("m/<uuid:meeting_id>/invite.ics", views.meeting_ics, name="meeting_ics"),
    path("m/<uuid:meeting_id>/print/", views.meeting_print, name="meeting_print"),
    path("m/<uuid:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("m/<uuid:meeting_id>/close/", views.close, name="close"),
    path("m/<uuid:meeting_id>/proposals/", views.accept_proposal, name="accept_proposal"),
    path("i/<uuid:item_id>/", views.item, name="item"),
    path("i/<uuid:item_id>/minutes/", views.minutes, name="minutes"),
    path("i/<uuid:item_id>/outcome/", views.outcome, name="outcome"),
    path("i/<uuid:item_id>/actions/", views.action_add, name="action_add"),
]

# Follow-up (issue 12, part B)
urlpatterns += [
    path("a/<uuid:action_id>/plan/", views.action_to_plan, name="action_to_plan"),
    path("a/<uuid:action_id>/done/", views.task_done, name="task_done"),
    path("m/<uuid:meeting_id>/next/", views.schedule_next, name="schedule_next"),
]

# --- the survivor's voice ---
urlpatterns += [
    path("i/<uuid:item_id>/voice/", views.voice, name="voice"),
    path("i/<uuid:item_id>/exclusions/", views.exclusions, name="exclusions"),
]

# --- pages for the chair ---
urlpatterns += [
    path("series/new/", views.series_new, name="series_new"),
    path("series/<uuid:series_id>/next/", views.series_next, name="series_next"),
    path("m/<uuid:meeting_id>/guests/", views.guest_add, name="guest_add"),
    path("m/<uuid:meeting_id>/items/", views.item_add, name="item_add"),
]
