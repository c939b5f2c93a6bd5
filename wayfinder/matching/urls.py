from django.urls import path

from wayfinder.matching import views

app_name = "matching"

urlpatterns = [
    path("person/<uuid:person_id>/", views.find, name="find"),
]
