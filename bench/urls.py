"""Mounted at /bench/ only when WAYFINDER_BENCH=1: the floor the page timings are compared with."""

from django.http import HttpResponse
from django.urls import path


def bench_floor(request):
    """A bare view behind the same middleware as every page: what any request costs at least."""
    return HttpResponse("ok", content_type="text/plain")


def bench_agenda(request, meeting_id):
    """The proposed agenda of a meeting, built and counted, not rendered (``--conferences``)."""
    from django.http import JsonResponse

    from wayfinder.conferences import proposals
    from wayfinder.conferences.models import Meeting

    meeting = Meeting.objects.select_related("series").get(pk=meeting_id)
    return JsonResponse({"proposed": len(proposals.propose(meeting))})


urlpatterns = [
    path("floor", bench_floor, name="bench_floor"),
    path("agenda/<uuid:meeting_id>", bench_agenda, name="bench_agenda"),
]
