"""Who is acting, for which agency: built once per request (or API call) and passed to actions."""

from __future__ import annotations

from dataclasses import dataclass, field

from wayfinder.accounts.models import CASEWORK_ROLES, INTAKE_ROLES, Agency, Membership, Role, User


@dataclass(frozen=True)
class Actor:
    user: User
    agency: Agency | None
    roles: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None
    via: str = "web"  # "web" | "api" | "command" | "demo"

    @property
    def is_casework(self) -> bool:
        return bool(self.roles & CASEWORK_ROLES)

    @property
    def can_intake(self) -> bool:
        return bool(self.roles & INTAKE_ROLES)

    @property
    def is_agency_admin(self) -> bool:
        return Role.AGENCY_ADMIN in self.roles

    @property
    def is_network_admin(self) -> bool:
        return Role.NETWORK_ADMIN in self.roles

    @property
    def is_analyst_only(self) -> bool:
        return Role.ANALYST in self.roles and not self.is_casework


def agencies_of(user: User) -> list[Agency]:
    """The active agencies where this user has an active membership, by name."""
    return list(
        Agency.objects.filter(memberships__user=user, memberships__is_active=True, is_active=True)
        .distinct()
        .order_by("name")
    )


def actor_at_chosen(
    user: User, wanted: str | None, *, ip: str | None = None, via: str = "web"
) -> tuple[Actor, list[Agency]]:
    """The actor at the agency chosen for the session (``wanted``, an agency id, else the first
    by name), and the user's agencies (as ``agencies_of``): both from one query of the user's
    active memberships, where ``agencies_of`` and ``actor_for`` make one each. Run on every page.
    """
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
        .select_related("agency")
        .order_by("agency__name", "agency_id")
    )
    agencies: list[Agency] = []
    for m in memberships:
        if not agencies or agencies[-1].pk != m.agency_id:
            agencies.append(m.agency)
    agency = next((a for a in agencies if str(a.pk) == wanted), agencies[0] if agencies else None)
    if agency is None or not user.is_authenticated or not user.is_active:
        return Actor(user=user, agency=None, ip=ip, via=via), agencies
    roles = frozenset(m.role for m in memberships if m.agency_id == agency.pk)
    return Actor(user=user, agency=agency, roles=roles, ip=ip, via=via), agencies


def actor_for(
    user: User, agency: Agency | None, *, ip: str | None = None, via: str = "web"
) -> Actor:
    """The actor for a user at one agency; no roles if the user has no active membership there."""
    if agency is None or not user.is_authenticated or not user.is_active:
        return Actor(user=user, agency=None, ip=ip, via=via)
    roles = frozenset(
        Membership.objects.filter(
            user=user, agency=agency, is_active=True, agency__is_active=True
        ).values_list("role", flat=True)
    )
    return Actor(user=user, agency=agency if roles else None, roles=roles, ip=ip, via=via)
