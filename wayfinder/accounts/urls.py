from django.urls import path

from wayfinder.accounts import views

urlpatterns = [
    path("agency/switch/", views.switch_agency, name="switch_agency"),
]
