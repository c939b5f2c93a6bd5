"""Build a benchmark database: migrate, seed one agency with N persons, probe the list's queries.

Run by ``python -m bench`` in a subprocess whose environment names a fresh database
(``DATABASE_URL``) and ``DJANGO_SETTINGS_MODULE=config.settings``. Prints one JSON line.

Seeding writes the rows ``create_person`` would write — the person with its sealed identity,
its wrapped data key, its blind indexes and its care-team lead — in bulk, using
``wayfinder.core.crypto`` directly. 10,000 ``create_person`` calls would take minutes for the
same rows; only the per-person "person.create" audit events are left out (the list does not
read the audit trail, it only appends to it).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta

import django

django.setup()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from wayfinder.accounts.actions import (  # noqa: E402
    add_member,
    create_agency,
    create_api_token,
)
from wayfinder.accounts.actor import actor_for  # noqa: E402
from wayfinder.accounts.models import AgencyKind, Role  # noqa: E402
from wayfinder.core import crypto  # noqa: E402
from wayfinder.keystore.models import BlindIndex, DataKey  # noqa: E402
from wayfinder.people.models import CareTeamMember, Identity, Person, new_pseudonym  # noqa: E402

EMAIL = "bench.navigator@example.org"
PASSWORD = "bench-navigator-password-0123"  # noqa: S105 - a throwaway database
FIRST = [
    "Ana",
    "Lucía",
    "Mateo",
    "Rosa",
    "Ngoc",
    "Wei",
    "Amina",
    "Yusuf",
    "Maria",
    "José",
    "Kateryna",
    "Oksana",
    "Samuel",
    "Grace",
]
LAST = [
    "Rivera",
    "Gómez",
    "Quispe",
    "Nguyen",
    "Chen",
    "Haddad",
    "Okafor",
    "Kowalczuk",
    "Shevchenko",
    "Mendoza",
    "Tran",
    "Diallo",
]
LANGS = [["spa"], ["spa", "eng"], ["eng"], ["quc", "spa"], ["vie"], ["ukr", "rus"], ["ara"]]
BATCH = 1000


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="keystore", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def network():
    agency = create_agency(actor=None, name="Bench Light Alliance", kind=AgencyKind.LEAD)
    user = add_member(
        actor=None,
        agency=agency,
        email=EMAIL,
        role=Role.NAVIGATOR,
        display_name="Bench Navigator",
        password=PASSWORD,
        send_invitation=False,
    ).user
    return agency, user


def seed(agency, user, count: int, rng: random.Random, pseudonyms: set[str]) -> None:
    """Add ``count`` persons to the agency, in bulk, shaped exactly as ``create_person`` makes them."""
    # Spread the intake dates over three years, as a real list has them (not one instant).
    created, updated = Person._meta.get_field("created_at"), Person._meta.get_field("updated_at")
    created.auto_now_add = updated.auto_now = False
    now = timezone.now()
    try:
        for start in range(0, count, BATCH):
            persons, keys, indexes, teams = [], [], [], []
            for _ in range(min(BATCH, count - start)):
                pid = uuid.uuid4()
                code = new_pseudonym()
                while code in pseudonyms:
                    code = new_pseudonym()
                pseudonyms.add(code)
                dob = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 16000))
                identity = Identity(
                    chosen_name=rng.choice(FIRST),
                    legal_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}",
                    date_of_birth=dob,
                    phone=f"+1 555 {rng.randrange(10**6, 10**7)}",
                    postal_code=f"606{rng.randrange(10, 99)}",
                )
                key = AESGCM.generate_key(bit_length=256)
                kid, wrapped = crypto._wrap(pid, key)  # as create_data_key does, for a bulk insert
                keys.append(
                    DataKey(person_id=pid, agency_id=agency.pk, kek_id=kid, wrapped=wrapped)
                )
                names = [identity.chosen_name, identity.legal_name, *identity.aliases]
                indexes += [
                    BlindIndex(person_id=pid, agency_id=agency.pk, kind=kind, digest=digest)
                    for kind, digest in crypto.index_terms(agency.pk, names, dob)
                ]
                at = now - timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
                persons.append(
                    Person(
                        id=pid,
                        pseudonym=code,
                        owner_agency=agency,
                        created_by=user,
                        identity_ct=crypto.encrypt_json(pid, key, identity.to_json(), "identity"),
                        birth_year=dob.year,
                        gender_identity=rng.choice(["woman", "man", "non_binary", "declined"]),
                        preferred_languages=rng.choice(LANGS),
                        interpreter_needed=rng.choice(["yes", "no"]),
                        trafficking_form=rng.choice(["sex", "labour", "both", "unknown"]),
                        safety_level=rng.choice(["safe", "concerns", "unsafe"]),
                        safe_contact_method=rng.choice(["text", "phone", "through_agency"]),
                        created_at=at,
                        updated_at=at,
                    )
                )
                teams.append(
                    CareTeamMember(
                        person_id=pid, user=user, agency=agency, is_lead=True, added_by=user
                    )
                )
            with transaction.atomic(), transaction.atomic(using="keystore"):
                DataKey.objects.bulk_create(keys)
                BlindIndex.objects.bulk_create(indexes)
                Person.objects.bulk_create(persons)
                CareTeamMember.objects.bulk_create(teams)
    finally:
        created.auto_now_add = updated.auto_now = True


def probe(user) -> dict:
    """Queries and decryptions of one request for the first page of /people/ (in-process)."""
    client = Client()
    client.force_login(user)
    client.get("/people/")  # warm: session, content types
    decrypted: list = []
    real = crypto.decrypt

    def counting(pid, *args, **kwargs):
        decrypted.append(pid)
        return real(pid, *args, **kwargs)

    crypto.decrypt = counting
    try:
        with (
            CaptureQueriesContext(connections["default"]) as main,
            CaptureQueriesContext(connections["keystore"]) as keys,
        ):
            response = client.get("/people/")
    finally:
        crypto.decrypt = real
    return {
        "status": response.status_code,
        "queries_main": len(main),
        "queries_keystore": len(keys),
        "decrypted": len(decrypted),
        "distinct_decrypted": len(set(decrypted)),
        "person_table_plans": plans(main.captured_queries),
        "person_reads_ms": person_reads_ms(main.captured_queries),
    }


def person_reads(queries) -> list[str]:
    """The request's reads of people_person (the list's count and page)."""
    # A page of the list is a UNION ALL of two parts, "(SELECT …) UNION ALL (SELECT …)" on
    # PostgreSQL.
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip("(").startswith("SELECT") and '"people_person"' in q["sql"]
    ]


def person_reads_ms(queries, repeat: int = 15) -> float:
    """How long the database takes for those reads, run again here (median of ``repeat``).

    On PostgreSQL the server's CPU figure leaves the database out: this shows it.
    """
    reads = person_reads(queries)
    totals = []
    with connections["default"].cursor() as cur:
        for _ in range(repeat):
            start = time.perf_counter()
            for sql in reads:
                cur.execute(sql)
                cur.fetchall()
            totals.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(totals), 2)


def plans(queries) -> list[str]:
    """How the database reads people_person for this page: index searches or full scans."""
    conn = connections["default"]
    explain = "EXPLAIN QUERY PLAN " if conn.vendor == "sqlite" else "EXPLAIN "
    lines: list[str] = []
    for sql in person_reads(queries):
        try:
            with conn.cursor() as cur:
                cur.execute(explain + sql)
                rows = cur.fetchall()
        except Exception as exc:  # a probe: report it, do not fail the bench
            lines.append(f"(could not explain: {type(exc).__name__})")
            continue
        for row in rows:
            text = str(row[-1]).strip()
            shown = (
                "people_person",
                "TEMP B-TREE",
                "Sort",
                "Merge Append",
                "MERGE",
                "LEFT",
                "Limit",
            )
            if any(word in text for word in shown) and text not in lines:
                lines.append(text)
    return lines


def conferences_case(agency, user, rng: random.Random) -> dict:
    """``--conferences``: open work on the whole caseload (bench/conferences.py, sealed for real),
    a weekly case review chaired by the agency, its next meeting, and an in-process probe of
    ``proposals.propose``: its queries, and its time (median and p95 of 30 runs)."""
    from bench.conferences import open_work
    from wayfinder.conferences import actions, proposals

    t = time.perf_counter()
    partner = create_agency(actor=None, name="Bench Legal Aid", kind=AgencyKind.LEGAL_AID)
    ids = list(Person.objects.filter(owner_agency=agency).values_list("pk", flat=True))
    keys = crypto.data_keys(ids)
    with transaction.atomic():
        work = open_work(
            ids,
            agency=agency,
            partner=partner,
            user=user,
            rng=rng,
            seal=lambda pid, data, purpose: crypto.encrypt_json(pid, keys[pid], data, purpose),
        )
    actor = actor_for(user, agency, via="command")
    series = actions.create_series(
        actor=actor,
        name="Weekly case review",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=timezone.now() + timedelta(days=1),
        place="Room 2",
    )
    meeting = actions.schedule_next_meeting(series, actor=actor)
    seed_s = round(time.perf_counter() - t, 1)
    for alias in ("default", "keystore"):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cur:
                cur.execute("VACUUM ANALYZE")
    with CaptureQueriesContext(connections["default"]) as captured:
        proposed = proposals.propose(meeting)
    samples = []
    for _ in range(30):
        start = time.perf_counter()
        proposals.propose(meeting)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "meeting_id": str(meeting.pk),
        "open_work": work,
        "proposed": len(proposed),
        "queries": len(captured),
        "propose_in_process": {
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95 + 0.999) - 1)], 2),
        },
        "seed_s": seed_s,
    }


def demo_network(persons: int) -> dict:
    """The demo network (``manage.py demo``) plus ``persons`` bulk persons at its lead agency,
    led by its navigator: for ``bench/concurrency.py``, whose pages need referrals, plans and a
    partner's inbox. Returns what the bench signs in with and which records it reads and writes.
    """
    from wayfinder.accounts.models import Agency, User
    from wayfinder.core.demo import DEMO_PASSWORD
    from wayfinder.referrals.models import OPEN_STATUSES, Referral

    timings = {}
    t = time.perf_counter()
    migrate()
    timings["migrate_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    call_command("demo", verbosity=0)
    lead = Agency.objects.get(name="Harbor Light Alliance")
    navigator = User.objects.get(email="navigator@demo.wayfinder.test")
    seed(lead, navigator, persons, random.Random(20261205), set())
    timings["seed_s"] = round(time.perf_counter() - t, 1)
    for alias in ("default", "keystore"):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cur:
                cur.execute("VACUUM ANALYZE")
    # An open referral the lead agency sent to legal aid: its person has a plan, needs and
    # consents in the demo (the person page is a full one), and its updates are audited writes.
    referral = (
        Referral.objects.filter(
            sending_agency=lead,
            status__in=OPEN_STATUSES,
            recipient_agency__name="Justice Bridge Legal Aid",
        )
        .order_by("created_at")
        .first()
    ) or Referral.objects.filter(sending_agency=lead, status__in=OPEN_STATUSES).first()
    actor = actor_for(navigator, lead, via="command")
    _token, raw = create_api_token(actor=actor, agency=lead, name="bench")
    return {
        "email": navigator.email,
        "partner_email": "lawyer@demo.wayfinder.test",
        "password": DEMO_PASSWORD,
        "api_token": raw,
        "person_id": str(referral.person_id),
        "referral_id": str(referral.pk),
        "persons": Person.objects.filter(owner_agency=lead).count(),
        **timings,
    }


def main() -> None:
    if "--demo" in sys.argv:
        count = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
        print(json.dumps(demo_network(count)))
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    persons = int(args[0]) if args else 10_000
    small = min(100, persons)
    rng = random.Random(20261127)
    timings = {}
    t = time.perf_counter()
    migrate()
    timings["migrate_s"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    agency, user = network()
    pseudonyms: set[str] = set()
    seed(agency, user, small, rng, pseudonyms)
    probe_small = probe(user)
    seed(agency, user, persons - small, rng, pseudonyms)
    timings["seed_s"] = round(time.perf_counter() - t, 1)
    for alias in ("default", "keystore"):
        # After a bulk load autovacuum would soon vacuum the tables (which lets a count read an
        # index alone) and gather planner statistics; do it now.
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cur:
                cur.execute("VACUUM ANALYZE")
    probe_full = probe(user)

    actor = actor_for(user, agency, via="command")
    _token, raw = create_api_token(actor=actor, agency=agency, name="bench")
    newest = Person.objects.filter(owner_agency=agency).order_by("-created_at", "pk").first()
    if "--conferences" in sys.argv:
        timings["conferences"] = conferences_case(agency, user, rng)
    print(
        json.dumps(
            {
                "email": EMAIL,
                "password": PASSWORD,
                "api_token": raw,
                "newest_pseudonym": newest.pseudonym,
                "persons": Person.objects.filter(owner_agency=agency).count(),
                "probe": {f"at_{small}": probe_small, f"at_{persons}": probe_full},
                **timings,
            }
        )
    )


if __name__ == "__main__":
    main()
