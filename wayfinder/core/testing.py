"""Named personas for tests, built with the real actions (see STYLE.md).

- ``navigator_a``: navigator at the lead agency (Harbor Light), lead of ``survivor``'s care team
- ``admin_a``: agency admin at the lead agency
- ``lawyer_b``: provider at Justice Bridge Legal Aid, a partner
- ``outsider_c``: navigator at Northside Housing, with no consent and no care-team place
- ``analyst``: analyst at the lead agency (de-identified data only)
- ``network_admin``: network admin (at the lead agency)
- ``survivor``: a Person taken in by ``navigator_a`` (chosen name "Ana Rivera", Spanish)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.test import Client

from wayfinder.accounts.actions import add_member, create_agency, create_api_token
from wayfinder.accounts.actor import Actor, actor_for
from wayfinder.accounts.models import Agency, AgencyKind, Role, User
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity, Person

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Personas:
    lead: Agency
    legal: Agency
    housing: Agency
    navigator_a: User
    admin_a: User
    lawyer_b: User
    outsider_c: User
    analyst: User
    network_admin: User
    survivor: Person

    def actor(self, user: User, agency: Agency | None = None) -> Actor:
        """The user acting at ``agency`` (default: their first agency)."""
        if agency is None:
            agency = (
                Agency.objects.filter(memberships__user=user, memberships__is_active=True)
                .order_by("name")
                .first()
            )
        return actor_for(user, agency, ip="127.0.0.1", via="web")


def staff(agency: Agency, email: str, role: str, name: str = "") -> User:
    return add_member(
        actor=None,
        agency=agency,
        email=email,
        role=role,
        display_name=name,
        password=PASSWORD,
        send_invitation=False,
    ).user


def make_personas() -> Personas:
    lead = create_agency(
        actor=None,
        name="Harbor Light Alliance",
        kind=AgencyKind.LEAD,
        is_victim_service_provider=True,
    )
    legal = create_agency(actor=None, name="Justice Bridge Legal Aid", kind=AgencyKind.LEGAL_AID)
    housing = create_agency(actor=None, name="Northside Housing", kind=AgencyKind.HOUSING)
    navigator_a = staff(lead, "navigator.a@example.org", Role.NAVIGATOR, "Navi Gator")
    admin_a = staff(lead, "admin.a@example.org", Role.AGENCY_ADMIN, "Ada Admin")
    lawyer_b = staff(legal, "lawyer.b@example.org", Role.PROVIDER, "Lee Lawyer")
    outsider_c = staff(housing, "outsider.c@example.org", Role.NAVIGATOR, "Otto Outsider")
    analyst = staff(lead, "analyst@example.org", Role.ANALYST, "Ann Analyst")
    network_admin = staff(lead, "network.admin@example.org", Role.NETWORK_ADMIN, "Net Admin")
    survivor = create_person(
        actor=actor_for(navigator_a, lead, ip="127.0.0.1"),
        identity=Identity(
            chosen_name="Ana Rivera",
            legal_name="Ana María Rivera López",
            date_of_birth=date(1996, 4, 12),
            phone="+1 555 0100",
            postal_code="60601",
        ),
        birth_year=1996,
        preferred_languages=["spa", "eng"],
        interpreter_needed="no",
        gender_identity="woman",
        trafficking_form="labour",
        safe_contact_method="text",
    )
    return Personas(
        lead,
        legal,
        housing,
        navigator_a,
        admin_a,
        lawyer_b,
        outsider_c,
        analyst,
        network_admin,
        survivor,
    )


class ApiClient:
    """A test client that talks JSON with ``Authorization: Bearer <token>``.

    ``body`` is sent as JSON (``None`` as ``{}``); ``raw`` sends the bytes or text as they are.
    """

    def __init__(self, raw_token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, body=None, *, raw: str | bytes | None = None):
        return self.client.post(
            path, self._data(body, raw), content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body=None, *, raw: str | bytes | None = None):
        return self.client.patch(
            path, self._data(body, raw), content_type="application/json", headers=self.headers
        )

    def delete(self, path: str):
        return self.client.delete(path, headers=self.headers)

    @staticmethod
    def _data(body, raw: str | bytes | None) -> str | bytes:
        if raw is not None:
            return raw
        return json.dumps({} if body is None else body)


def api_client(personas: Personas, user: User, agency: Agency | None = None) -> ApiClient:
    """An ApiClient with a fresh API token of ``user`` at ``agency`` (default: their first)."""
    actor = personas.actor(user, agency)
    if actor.agency is None:
        raise ValueError("an API token belongs to an agency: the user has no active membership")
    _token, raw = create_api_token(actor=actor, agency=actor.agency, name="test")
    return ApiClient(raw)


def fold(text: str) -> str:
    """Accents folded and case folded, so "Lucía" and "LUCIA" compare equal."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def survivor_name_tokens() -> set[str]:
    """Every word (3 letters or more) of every name of the demo's and the personas' survivors."""
    import re

    from wayfinder.people.demo import SURVIVORS

    names = [s[0] for s in SURVIVORS] + [s[1] for s in SURVIVORS]
    names += ["Ana Rivera", "Ana María Rivera López"]  # the personas' survivor
    return {fold(t) for n in names for t in re.findall(r"\w+", n) if len(t) >= 3}


def names_in_urls(urls) -> list[tuple[str, str]]:
    """(token, url) for every survivor name word found in these addresses (escapes decoded)."""
    import re
    from urllib.parse import unquote_plus

    tokens = survivor_name_tokens()
    found = []
    for url in urls:
        folded = fold(unquote_plus(url))
        found += [(t, url) for t in tokens if re.search(rf"\b{re.escape(t)}\b", folded)]
    return found


def prepared_statements() -> list[str]:
    """The SQL of every statement the default connection has prepared (PostgreSQL only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]
