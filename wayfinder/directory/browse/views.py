"""Directory pages: search and filter, a service in full, the partner's quick capacity update and
listing edit, and the dashboard panel with a partner's own services.

Browsing is open to anyone when ``WAYFINDER_DIRECTORY_PUBLIC`` is on (else to signed-in users);
capacity is shown to signed-in members only; editing is for the agency linked to the service's
organization (and network admins), through the directory's actions.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wayfinder.directory import actions
from wayfinder.directory.browse import queries as browse_queries
from wayfinder.directory.browse.forms import FEATURE_FILTERS, CapacityForm, ListingForm, SearchForm
from wayfinder.directory.models import Service
from wayfinder.directory.queries import (
    agency_for_organization_id,
    can_edit_service,
    can_read_private,
    capacity_of,
)
from wayfinder.directory.taxonomy import Feature

PER_PAGE = 25


def _members(request) -> bool:
    return request.user.is_authenticated and can_read_private(request.actor)


def _browsable(view):
    """Public when WAYFINDER_DIRECTORY_PUBLIC is on; otherwise sign in first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.WAYFINDER_DIRECTORY_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _editable_service(request, pk) -> Service:
    """The service, if this actor may edit it; 404 otherwise (never a 403)."""
    service = get_object_or_404(Service.objects.select_related("organization"), pk=pk)
    if not can_edit_service(request.actor, service):
        raise Http404
    return service


@_browsable
@require_http_methods(["GET"])
def browse(request):
    """Search the directory by name, category, language, distance, hours, capacity, features."""
    members = _members(request)
    form = SearchForm(request.GET or None, members=members)
    status = 200
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        results = browse_queries.search_page(
            data, members=members, now=timezone.now(), page=number, per_page=PER_PAGE
        )
    else:
        status = 422
        results = browse_queries.ResultPage([], 1, PER_PAGE, 0, False, False)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": results,
        "cards": browse_queries.cards(results.rows, members=members),
        "members": members,
        "query": query.urlencode(),
        "searched": bool(request.GET),
    }
    return render(request, "directory/browse/list.html", context, status=status)


def _capacity_context(request, service: Service, form=None, saved: bool = False, card=None) -> dict:
    if card is None:
        [card] = browse_queries.cards([(service.pk, None)], members=True)
    capacity = card.capacity
    if form is None:
        form = CapacityForm(
            initial={
                "available": int(capacity.available)
                if capacity and capacity.available is not None
                else None,
                "waitlist_days": capacity.waitlist_days if capacity else None,
            }
        )
    return {
        "service": service,
        "card": card,
        "capacity": capacity,
        "stale": card.capacity_stale,
        "stale_days": settings.WAYFINDER_CAPACITY_STALE_DAYS,
        "capacity_form": form,
        "can_edit": can_edit_service(request.actor, service),
        "compact": False,
        "saved": saved,
    }


@_browsable
@require_http_methods(["GET"])
def service_detail(request, pk):
    """One service: schedule, languages, eligibility, cost, accessibility, capacity, freshness."""
    service = get_object_or_404(Service.objects.select_related("organization"), pk=pk)
    members = _members(request)
    page = browse_queries.service_page(service, members=members, now=timezone.now())
    context = {
        "service": service,
        "page": page,
        "card": page.card,
        "members": members,
        "agency": agency_for_organization_id(service.organization_id),
        "schedules": [browse_queries.schedule_text(s) for s in page.schedules],
        "service_areas": list(service.service_areas.order_by("name", "id")),
    }
    if members:
        context.update(_capacity_context(request, service))
    return render(request, "directory/browse/service.html", context)


@login_required
@require_POST
def capacity_update(request, pk):
    """The quick update: the openings and waitlist as typed, and the button pressed."""
    service = _editable_service(request, pk)
    form = CapacityForm(request.POST)
    saved, status = False, 200
    if form.is_valid():
        current = capacity_of(service)
        try:
            actions.update_capacity(
                service,
                actor=request.actor,
                accepting_referrals=form.cleaned_data["accepting"],
                available=form.cleaned_data["available"],
                waitlist_days=form.cleaned_data["waitlist_days"],
                # Kept as they were: the quick update changes only what it shows.
                maximum=current.maximum if current else None,
                unit_name=current.unit.name if current and current.unit else "",
                description=current.description if current else "",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 422
        else:
            saved = True
            form = None
    else:
        status = 422
    if request.htmx:
        # 200 even with errors: htmx swaps only successful responses, and the errors must show.
        return render(
            request,
            "directory/browse/_capacity.html",
            _capacity_context(request, service, form=form, saved=saved),
        )
    if saved:
        return redirect(reverse("directory:service", args=[service.pk]) + "#capacity")
    return render(
        request,
        "directory/browse/_capacity_page.html",
        _capacity_context(request, service, form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    """A partner edits its own listing: categories, features, languages, eligibility, text."""
    service = _editable_service(request, pk)
    [card] = browse_queries.cards([(service.pk, None)], members=True)
    initial = {
        "status": service.status,
        "categories": card.categories,
        "languages": card.languages,
        "staff_gender": card.staff_gender,
        "eligible_genders": card.only_for,
        "faith_based": card.faith_based,
        **{f.value: f.value in card.features for f in FEATURE_FILTERS},
        **{name: getattr(service, name) for name in actions.LISTING_FIELDS},
    }
    for age in ("minimum_age", "maximum_age"):
        if initial[age] is not None:
            initial[age] = int(initial[age])
    form = ListingForm(request.POST or None, initial=initial, languages=card.languages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        features = {f.value: data[f.value] for f in FEATURE_FILTERS}
        features[Feature.STAFF_GENDER] = data["staff_gender"]
        try:
            with transaction.atomic():
                actions.set_service_facts(
                    service, actor=request.actor, categories=data["categories"], features=features
                )
                actions.update_service_listing(
                    service,
                    actor=request.actor,
                    fields={name: data[name] for name in actions.LISTING_FIELDS},
                    languages=data["languages"],
                    eligible_genders=data["eligible_genders"],
                    faith_based=data["faith_based"],
                )
                if data["status"] != service.status:
                    actions.set_service_status(service, actor=request.actor, status=data["status"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The listing was saved."))
            return redirect("directory:service", pk=service.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "directory/browse/edit.html", {"service": service, "form": form}, status=status
    )


def _own_services(actor) -> list:
    """The actor's agency's services it may update, as directory cards (empty when none)."""
    if actor.agency is None or not actor.agency.directory_organization_id:
        return []
    return [
        card
        for card in browse_queries.services_of_agency(actor.agency)
        if can_edit_service(actor, card.service)
    ]


def capacity_panel(request) -> dict | None:
    """Dashboard panel: one line about the partner's own services, and a link to update them."""
    actor = request.actor
    if actor.agency is None or not actor.agency.directory_organization_id:
        return None
    # The same services as ``_own_services``, with their capacities only: three numbers.
    rows = [
        (service, capacity)
        for service, capacity in browse_queries.capacities_of_agency(actor.agency)
        if can_edit_service(actor, service)
    ]
    if not rows:
        return None
    accepting = sum(1 for _s, c in rows if c is None or c.accepting_referrals)
    return {
        "template": "directory/browse/capacity_panel.html",
        "context": {
            "services_count": len(rows),
            "accepting_count": accepting,
            "stale_count": sum(1 for _s, c in rows if browse_queries.is_stale(c)),
        },
        "order": 20,
    }


@login_required
@require_http_methods(["GET"])
def capacity_page(request):
    """Every service of the actor's agency, each with the two-click capacity update."""
    cards = _own_services(request.actor)
    if not cards:
        raise Http404
    return render(
        request,
        "directory/browse/capacity_page.html",
        {
            "panel_rows": [_capacity_context(request, c.service, card=c) for c in cards],
            "stale_days": settings.WAYFINDER_CAPACITY_STALE_DAYS,
        },
    )
