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
from wayfinder.core.categories import Category
from wayfinder.matching.forms import MatchForm
from wayfinder.matching.queries import consent_gap, find_services_by_need
from wayfinder.matching.reasons import language_line, reason_text, unknown_text


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


SHOWN_PER_NEED = 3  # each need shows its best few; the rest behind "Show more"


def _row(run, person, need, m, *, accepting: bool, can_refer: bool) -> dict:
    service = run.services.get(m.service_id)
    gap = consent_gap(run.checks.get(m.service_id), need)
    check = run.checks.get(m.service_id)
    return {
        "match": m,
        "service": service,
        "location": run.locations.get(m.location_id),
        "reasons": [(r, reason_text(r)) for r in m.reasons],
        "language_line": language_line(m.reasons),
        # Only the owning agency refers (the create page is a 404 to anyone else).
        "refer_url": refer_url(person.pk, m.service_id, need.pk) if can_refer else None,
        "accepting": accepting,
        "consent_gap": gap,
        "gap_label": str(Category(gap).label).lower() if gap in Category.values else "",
        "agency": check.agency if check else None,
    }


def _groups(run, person, *, can_refer: bool) -> list[dict]:
    """Each need (most urgent first) with its rows: the first few shown, the rest folded."""
    groups = []
    for group in run.groups:
        rows = [
            _row(run, person, group.need, m, accepting=True, can_refer=can_refer)
            for m in group.matches
        ]
        rows += [
            _row(run, person, group.need, m, accepting=False, can_refer=can_refer)
            for m in group.closed
        ]
        groups.append(
            {
                "need": group.need,
                "shown": rows[:SHOWN_PER_NEED],
                "more": rows[SHOWN_PER_NEED:],
                "count": len(group.matches),
            }
        )
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def find(request, person_id):
    """Services for each open need, most urgent need first, with reasons; POST refines."""
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
    run = (
        find_services_by_need(request.actor, access, **options) if needs and status == 200 else None
    )
    context = {
        "person": access.person,
        "can_refer": access.is_owner,
        "needs": needs,
        "form": form,
        "run": run,
        "groups": _groups(run, access.person, can_refer=access.is_owner) if run else [],
        "unknown": [unknown_text(u) for u in run.unknown] if run else [],
    }
    if request.htmx:
        # The form and its results as one fragment; 200 even with errors (htmx swaps only those).
        return render(request, "matching/find.html#search", context)
    return render(request, "matching/find.html", context, status=status)
