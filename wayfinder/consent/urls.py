from django.urls import path

from wayfinder.consent import views

app_name = "consent"

urlpatterns = [
    path("person/<uuid:person_id>/", views.person_consents, name="person"),
    path("person/<uuid:person_id>/new/", views.consent_create, name="create"),
    path("person/<uuid:person_id>/preview/", views.form_preview, name="preview"),
    path("person/<uuid:person_id>/form/", views.blank_form, name="blank_form"),
    path("person/<uuid:person_id>/access-ended/", views.access_ended, name="access_ended"),
    path("<uuid:consent_id>/", views.consent_detail, name="detail"),
    path("<uuid:consent_id>/print/", views.consent_print, name="print"),
    path("<uuid:consent_id>/signed-form/", views.consent_artifact, name="artifact"),
    path("<uuid:consent_id>/withdraw/", views.consent_revoke, name="revoke"),
]
