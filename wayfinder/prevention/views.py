from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wayfinder.prevention import queries


@login_required
@require_GET
def home(request):
    if not queries.can_train(request.actor):
        raise Http404
    return render(request, "prevention/home.html", {})
