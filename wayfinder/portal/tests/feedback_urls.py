"""A stand-in for ``wayfinder.feedback``'s URLs: the project's URLs plus ``feedback:portal_start``."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project

feedback = (
    [path("f/p/<str:code>/", lambda r, code: HttpResponse("survey"), name="portal_start")],
    "feedback",
)
urlpatterns = [*project, path("", include(feedback))]
