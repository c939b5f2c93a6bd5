from django.urls import path

from wayfinder.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.home, name="home"),
]
