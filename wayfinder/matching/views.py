"""The "Find services" page for one person, reached from the person's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from wayfinder.access.gate import get_access
from wayfinder.assessments.queries import open_needs
from wayfinder.matching.forms import MatchForm
from wayfinder.matching.queries import find_services
from wayfinder.matching.reasons import reason_text, unknown_text


def refer_url(person_id, service_id: str, need_id) -> str | None:
    """The referral workflow's "new referral" link, or None while there is none to link to."""
    try:
        return reverse("referral_create", args=[person_id, service_id, need_id])
    except NoReverseMatch:
        pass
    try:
        base = reverse("referral_create")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'person': person_id, 'service': service_id, 'need': need_id})}"


def _rows(run, person) -> list[dict]:
    needs_by_category = {}
    for need in run.needs:  # most urgent first: a service is referred for the first need it meets
        needs_by_category.setdefault(need.category, need)
    rows = []
    for m in run.matches:
        need = next(needs_by_category[c] for c in m.categories if c in needs_by_category)
        rows.append(
            {
                "match": m,
                "service": run.services.get(m.service_id),
                "location": run.locations.get(m.location_id),
                "needs": [needs_by_category[c] for c in m.categories if c in needs_by_category],
                "reasons": [(r, reason_text(r)) for r in m.reasons],
                "refer_url": refer_url(person.pk, m.service_id, need.pk),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def find(request, person_id):
    """Ranked services for the person's open needs, each with its reasons; POST refines."""
    access = get_access(request.actor, person_id)
    needs = open_needs(access)
    form = MatchForm(request.POST or None, needs=needs)
    options = {"radius_miles": float(settings.WAYFINDER_MATCH_RADIUS_MILES)}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            options = {
                "need_id": form.cleaned_data["need"] or None,
                "origin": form.cleaned_data["near"],
                "radius_miles": form.cleaned_data["radius"],
                "require_undocumented": form.cleaned_data["undocumented"],
            }
        else:
            status = 422
    run = find_services(request.actor, access, **options) if needs and status == 200 else None
    context = {
        "person": access.person,
        "needs": needs,
        "form": form,
        "run": run,
        "rows": _rows(run, access.person) if run else [],
        "unknown": [unknown_text(u) for u in run.unknown] if run else [],
    }
    if request.htmx:
        # The form and its results as one fragment; 200 even with errors (htmx swaps only those).
        return render(request, "matching/find.html#search", context)
    return render(request, "matching/find.html", context, status=status)
