from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wayfinder.accounts.actor import agencies_of
from wayfinder.accounts.middleware import ACTIVE_AGENCY_KEY


@login_required
@require_POST
def switch_agency(request):
    """Make another of the user's agencies the active one for this session."""
    wanted = request.POST.get("agency", "")
    if wanted not in {str(a.pk) for a in agencies_of(request.user)}:
        raise Http404
    request.session[ACTIVE_AGENCY_KEY] = wanted
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "dashboard"
    return redirect(nxt)
