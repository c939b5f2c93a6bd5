"""Every agency's staff on one connection: is any page slow for one size of agency or caseload?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_million .venv/bin/python -m bench.agencies

On a database ``bench.profile --fresh --persons N --agencies 20`` seeded, whose agencies range
from the lead's 28 % of the persons to a bench agency's 1.4 % and partners that own none. A gunicorn
worker keeps one connection (and on PostgreSQL, its prepared statements and their generic plans)
for whoever comes, so this times each user's pages in turn in one process, one connection:

- at the lead agency, the navigator who leads the most records and one who leads the fewest;
- at the largest, a middle and the smallest bench agency, its navigator (who leads all of it);
- the three partner agencies with the most accepted referrals, a staff member of each (of that
  agency only);
- the lead agency's admin, the network admin and an analyst: their start page and the outcomes
  dashboard (``/reports/``, the last 365 days).

Each user's pages, ``--rounds`` times round all users (two more first, not counted): the
dashboard, the person list, "My caseload", a name search on each, a person page (one they lead, or
one referred to a partner), the referral inbox and the meetings page. The median per user and
page. ``bench.profile`` measures the lead agency only: this is where a plan made for one agency's
size shows in another's (``docs/benchmarks.md``, "Eleventh round").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench import profile  # sets the bench environment's defaults

WARM_ROUNDS = 2


def users() -> list[tuple[str, object, str | None, str]]:
    """(label, user, a person id they may open, "staff" or "admin") for each agency size and role
    described above."""
    from django.db.models import Count, Q

    from wayfinder.access.gate import persons_for
    from wayfinder.accounts.actor import actor_for
    from wayfinder.accounts.models import Agency, AgencyKind, Role, User
    from wayfinder.people.models import CareTeamMember
    from wayfinder.referrals.models import Status

    def leader(agency, fewest=False):
        led = (
            CareTeamMember.objects.filter(agency=agency, is_lead=True)
            .values("user_id")
            .annotate(n=Count("pk"))
            .order_by("n" if fewest else "-n", "user_id")
            .first()
        )
        if led is None:
            return None
        user = User.objects.get(pk=led["user_id"])
        person = (
            CareTeamMember.objects.filter(agency=agency, user=user, is_lead=True)
            .order_by("-created_at", "pk")
            .values_list("person_id", flat=True)
            .first()
        )
        return user, led["n"], str(person)

    found = []
    lead = Agency.objects.filter(kind=AgencyKind.LEAD).exclude(name__startswith="Bench ")
    sized = Agency.objects.annotate(n=Count("persons")).order_by("-n", "name")
    lead_agency = sized.filter(pk__in=lead).first()
    if lead_agency is not None:
        for fewest in (False, True):
            got = leader(lead_agency, fewest)
            if got and not any(got[0] == u for _, u, _, _ in found):
                label = f"lead agency ({lead_agency.n:,}), leads {got[1]:,}"
                found.append((label, got[0], got[2], "staff"))
    bench = list(sized.filter(name__startswith="Bench "))
    picks = {0: "largest", len(bench) // 2: "middle", len(bench) - 1: "smallest"}
    for i, size in sorted(picks.items()):
        if i < len(bench) and (got := leader(bench[i])):
            found.append((f"{size} bench agency ({bench[i].n:,})", got[0], got[2], "staff"))
    received = Q(referrals_received__status=Status.ACCEPTED)
    partners = (
        Agency.objects.exclude(kind=AgencyKind.LEAD)
        .annotate(n=Count("referrals_received", filter=received))
        .filter(n__gt=0)
        .order_by("-n", "name")[:3]
    )
    for partner in partners:
        # A member of this agency only: one who also works at the lead would sign in there.
        staff = (
            User.objects.filter(memberships__agency=partner, memberships__is_active=True)
            .exclude(memberships__agency__in=Agency.objects.exclude(pk=partner.pk))
            .order_by("pk")
            .first()
        )
        if staff is None:
            continue
        actor = actor_for(staff, partner, via="command")
        # A record the gate lets them open (a consent for a referral alone does not open the
        # record), one referred to them if there is one.
        may_open = persons_for(actor).order_by("pk").values_list("pk", flat=True)
        referred = Q(referrals__recipient_agency=partner, referrals__status=Status.ACCEPTED)
        person = may_open.filter(referred).first() or may_open.first()
        label = f"partner {partner.kind} ({partner.n:,} accepted)"
        found.append((label, staff, str(person) if person else None, "staff"))
    # Those whose start page counts for the agency or the network, and the outcomes dashboard.
    for role, label in (
        (Role.AGENCY_ADMIN, "lead agency's admin"),
        (Role.NETWORK_ADMIN, "network admin"),
        (Role.ANALYST, "analyst"),
    ):
        member = User.objects.filter(
            memberships__role=role, memberships__is_active=True, memberships__agency=lead_agency
        )
        if (admin := member.order_by("pk").first()) is not None:
            found.append((label, admin, None, "admin"))
    return found


def pages(person_id: str | None, search: str, kind: str) -> list[tuple[str, str, dict | None]]:
    if kind == "admin":
        return [("dashboard", "/", None), ("reports", "/reports/", None)]
    listed = [
        ("dashboard", "/", None),
        ("list", "/people/", None),
        ("my caseload", "/people/?mine=1", None),
        ("name search", "/people/", {"q": search}),
        ("name search, my caseload", "/people/", {"q": search, "mine": "1"}),
        ("inbox", "/referrals/", None),
        ("meetings", "/conferences/", None),
    ]
    if person_id:
        listed.insert(3, ("person page", f"/people/{person_id}/", None))
    return listed


def measure(rounds: int, search: str = profile.SEARCH) -> dict[str, dict[str, dict]]:
    """{user label: {page: {"ms": median, "status": last status}}}, every request on one
    connection."""
    from django.test import Client

    plan = []
    for label, user, person, kind in users():
        client = Client()
        client.force_login(user)
        plan.append((label, client, pages(person, search, kind)))
    samples: dict[tuple[str, str], list[float]] = {}
    status: dict[tuple[str, str], int] = {}
    for r in range(WARM_ROUNDS + rounds):
        for label, client, listed in plan:
            for page, path, post in listed:
                t = time.perf_counter()
                response = client.post(path, post) if post else client.get(path)
                ms = (time.perf_counter() - t) * 1000
                status[label, page] = response.status_code
                if r >= WARM_ROUNDS:
                    samples.setdefault((label, page), []).append(ms)
    result: dict[str, dict[str, dict]] = {}
    for (label, page), ms in samples.items():
        result.setdefault(label, {})[page] = {
            "ms": round(statistics.median(ms), 1),
            "status": status[label, page],
        }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.agencies")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--search", default=profile.SEARCH, help="the name searches' words")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    import django

    django.setup()
    result = measure(args.rounds, args.search)
    floor = profile.unprofiled_ms(*profile.targets()[0][1:], n=30)
    print(f"load average {os.getloadavg()[0]:.2f}; floor {floor} ms (test client, no server)")
    for label, found in result.items():
        print(f"\n{label}")
        for page, got in found.items():
            note = "" if got["status"] == 200 else f"  (HTTP {got['status']})"
            print(f"   {page:28} {got['ms']:8.1f} ms {got['ms'] / floor:6.1f}x floor{note}")
    if args.json:
        Path(args.json).write_text(json.dumps({"floor_ms": floor, "users": result}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
