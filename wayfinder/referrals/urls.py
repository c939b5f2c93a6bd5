"""Referral pages. URL names are global (``referral_*``): "Find services" links to
``referral_create`` with the person, and optionally the service and the need."""

from django.urls import path

from wayfinder.referrals import views

urlpatterns = [
    path("", views.inbox, name="referral_inbox"),
    path("received/<slug:section>/", views.inbox_section, name="referral_inbox_section"),
    path("sent/", views.sent, name="referral_sent"),
    path("notifications/", views.notifications, name="referral_notifications"),
    path("notifications/read/", views.notifications_read, name="referral_notifications_read"),
    # The seam with matching: every form of the link reaches the same page.
    path("new/", views.create, name="referral_create"),  # ?person=&service=&need=
    path("new/<uuid:person_id>/", views.create, name="referral_create"),
    path("new/<uuid:person_id>/<str:service_id>/", views.create, name="referral_create"),
    path(
        "new/<uuid:person_id>/<str:service_id>/<uuid:need_id>/",
        views.create,
        name="referral_create",
    ),
    path("person/<uuid:person_id>/", views.person_referrals, name="referral_person"),
    path("<uuid:referral_id>/", views.detail, name="referral_detail"),
    path("<uuid:referral_id>/do/<str:name>/", views.act, name="referral_act"),
    path("<uuid:referral_id>/update/", views.update, name="referral_update"),
    path("<uuid:referral_id>/join-team/", views.join_team, name="referral_join_team"),
    path("<uuid:referral_id>/packet/", views.packet, name="referral_packet"),
    path("<uuid:referral_id>/packet/email/", views.packet_email, name="referral_packet_email"),
]
