"""Reads for the staff and agency admin pages."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, Membership, RoleGrant


def _has_totp():
    return Exists(
        Authenticator.objects.filter(user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP)
    )


def staff_of(agency: Agency) -> QuerySet[Membership]:
    """Every membership at the agency, active first, with the user and whether they use TOTP."""
    return (
        Membership.objects.filter(agency=agency)
        .select_related("user", "agency")
        .annotate(has_mfa=_has_totp())
        .order_by("-is_active", "user__display_name", "user__email", "role")
    )


def active_roles_of(user_ids) -> dict[int, list[Membership]]:
    """Each user's active memberships (with agency), in one query: {user id: [membership, ...]}."""
    result: dict[int, list[Membership]] = {}
    if not user_ids:
        return result
    for m in (
        Membership.objects.filter(user_id__in=user_ids, is_active=True)
        .select_related("agency")
        .order_by("user_id", "agency__name", "role")
    ):
        result.setdefault(m.user_id, []).append(m)
    return result


def memberships_of(user) -> QuerySet[Membership]:
    """A user's own memberships, for their account page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("agency")
        .order_by("-is_active", "agency__name", "role")
    )


def managed_agency(actor: Actor, agency_id=None) -> Agency:
    """The agency whose staff this actor may manage: their own (agency admin) or any (network admin).

    Http404 for anyone else, and for an agency a non-network-admin names.
    """
    if agency_id is None:
        if actor.agency is not None and (actor.is_agency_admin or actor.is_network_admin):
            return actor.agency
        raise Http404
    if not actor.is_network_admin:
        raise Http404
    try:
        return Agency.objects.get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404 from None


def managed_membership(actor: Actor, membership_id) -> Membership:
    """A membership at an agency this actor manages (404 otherwise)."""
    qs = Membership.objects.select_related("user", "agency")
    if not actor.is_network_admin:
        if not actor.is_agency_admin or actor.agency is None:
            raise Http404
        qs = qs.filter(agency=actor.agency)
    try:
        return qs.get(pk=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None


def agencies_overview() -> QuerySet[Agency]:
    """All agencies, active first, with how many people actively work for each."""
    return Agency.objects.annotate(
        active_staff=Count(
            "memberships__user", filter=Q(memberships__is_active=True), distinct=True
        )
    ).order_by("-is_active", "name")


def network_agency(actor: Actor, agency_id) -> Agency:
    """Any agency, for a network admin (404 for everyone else)."""
    if not actor.is_network_admin:
        raise Http404
    try:
        return Agency.objects.get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404 from None


def pending_role_requests(agency: Agency) -> list[RoleGrant]:
    """Self-grants waiting for a second admin of the agency."""
    return list(
        RoleGrant.objects.filter(agency=agency, status=RoleGrant.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def recent_role_grants(agency: Agency, limit: int = 20) -> list[RoleGrant]:
    """The latest role grants and decisions at the agency: the admins' in-app notice."""
    return list(
        RoleGrant.objects.filter(agency=agency)
        .exclude(status=RoleGrant.Status.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-updated_at", "pk")[:limit]
    )


def role_request(actor: Actor, grant_id) -> RoleGrant:
    """A pending role request at the actor's own agency, for its admins (404 otherwise)."""
    if not actor.is_agency_admin or actor.agency is None:
        raise Http404
    try:
        return RoleGrant.objects.select_related("agency", "user").get(
            pk=grant_id, agency=actor.agency
        )
    except RoleGrant.DoesNotExist:
        raise Http404 from None
