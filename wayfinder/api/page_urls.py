from django.urls import path

from wayfinder.api import views

urlpatterns = [
    path("", views.token_list, name="api_tokens"),
    path("new/", views.token_create, name="api_token_create"),
    path("<uuid:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
