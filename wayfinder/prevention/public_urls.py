"""Public pages (no sign-in), mounted at the site root: /help/, /h/CODE, /training/<id>/."""

from django.urls import path

from wayfinder.prevention import public_views

app_name = "prevention_public"
urlpatterns = [
    path("help/", public_views.help_page, name="help"),
    path("h/<str:code>/", public_views.short_link, name="short"),
    path("training/<uuid:session_id>/", public_views.register, name="register"),
]
