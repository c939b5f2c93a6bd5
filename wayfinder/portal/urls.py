"""The survivor portal, at ``/my/`` (a neutral address: no name, no "survivor", no ids)."""

from django.urls import path

from wayfinder.portal import views
from wayfinder.portal.api import api

app_name = "portal"

urlpatterns = [
    path("", views.signin, name="signin"),
    path("start/", views.start_code, name="start"),
    path("start/choose/", views.choose, name="choose"),
    path("recover/", views.recover, name="recover"),
    path("signout/", views.signout, name="signout"),
    path("lock/", views.lock, name="lock"),
    path("home/", views.home, name="home"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/ask/", views.ask, name="ask"),
    path("sharing/<uuid:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("looked/", views.looked, name="looked"),
    path("plan/", views.plan, name="plan"),
    path("plan/note/", views.note, name="note"),
    path("plan/steps/<uuid:step_id>/done/", views.step_done, name="step_done"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<uuid:referral_id>/help/", views.confirm, name="confirm"),
    path("checkins/", views.checkins, name="checkins"),
    path("checkins/<uuid:session_id>/<int:index>/", views.checkin, name="checkin"),
    path("feedback/", views.feedback, name="feedback"),
    path("settings/", views.preferences, name="preferences"),
    path("api/", api.urls),
]
