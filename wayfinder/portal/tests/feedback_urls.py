"""A stand-in for ``wayfinder.feedback``'s URLs: the project's URLs plus ``feedback:portal_start``."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project

feedback = ([path("start/", lambda r: HttpResponse("survey"), name="portal_start")], "feedback")
urlpatterns = [*project, path("my/feedback/", include(feedback))]
