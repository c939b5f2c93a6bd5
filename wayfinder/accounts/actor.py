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
