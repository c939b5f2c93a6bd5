from django.urls import path


def boom(request):
    details = request.session.get("details", "Ana Rivera 1996-04-12")
    raise RuntimeError(f"lookup failed for {details}")


urlpatterns = [path("boom/", boom)]
