from django.urls import path

from wayfinder.delivery import views

app_name = "delivery"

urlpatterns = [
    path("person/<uuid:person_id>/", views.services, name="services"),
]
