"""Mounted at the site root: the public pages under a neutral ``/f/``, staff pages under
``/feedback/``."""

from django.urls import path

from wayfinder.feedback import views

app_name = "feedback"
urlpatterns = [
    path("f/", views.code_entry, name="code_entry"),
    path("f/done/", views.done, name="done"),
    path("f/handover/", views.handover, name="handover"),
    path("f/wayfinder/", views.about_wayfinder, name="about_wayfinder"),
    path("f/p/<str:code>/", views.survey, name="portal_start"),
    path("f/<str:code>/", views.survey, name="card"),
    path("feedback/", views.results, name="results"),
    path("feedback/export.csv", views.results_csv, name="results_csv"),
    path("feedback/cards/", views.cards, name="cards"),
    path("feedback/comments/", views.comments, name="comments"),
    path("feedback/comments/<uuid:comment_id>/", views.review_comment, name="review_comment"),
    path("feedback/wayfinder/", views.wayfinder_inbox, name="wayfinder_inbox"),
]
