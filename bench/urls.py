"""Mounted at /bench/ only when WAYFINDER_BENCH=1: the floor the page timings are compared with."""

from django.http import HttpResponse
from django.urls import path


def bench_floor(request):
    """A bare view behind the same middleware as every page: what any request costs at least."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("floor", bench_floor, name="bench_floor")]
