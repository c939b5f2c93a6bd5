from django.urls import path

from wayfinder.accounts import views

urlpatterns = [
    path("me/", views.my_account, name="my_account"),
    path("me/sign-out-elsewhere/", views.sign_out_elsewhere, name="sign_out_elsewhere"),
    path("agency/switch/", views.switch_agency, name="switch_agency"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<uuid:membership_id>/remove/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<uuid:membership_id>/resend/", views.staff_resend, name="staff_resend"),
    path(
        "staff/<uuid:membership_id>/reset-two-step/",
        views.staff_reset_two_step,
        name="staff_reset_two_step",
    ),
    path(
        "staff/requests/<uuid:grant_id>/approve/",
        views.staff_request_decide,
        {"decision": "approve"},
        name="staff_request_approve",
    ),
    path(
        "staff/requests/<uuid:grant_id>/refuse/",
        views.staff_request_decide,
        {"decision": "refuse"},
        name="staff_request_refuse",
    ),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<uuid:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path(
        "agencies/<uuid:agency_id>/deactivate/",
        views.agency_deactivate,
        name="agency_deactivate",
    ),
    path("agencies/<uuid:agency_id>/staff/", views.staff_list, name="agency_staff_list"),
    path(
        "agencies/<uuid:agency_id>/staff/invite/",
        views.staff_invite,
        name="agency_staff_invite",
    ),
]
