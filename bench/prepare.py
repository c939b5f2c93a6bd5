"""Build a benchmark database: migrate, seed one agency with N persons, probe the list's queries.

Run by ``python -m bench`` in a subprocess whose environment names a fresh database
(``DATABASE_URL``) and ``DJANGO_SETTINGS_MODULE=config.settings``. Prints one JSON line.

Seeding writes the rows ``create_person`` would write — the person with its sealed identity,
its wrapped data key, its blind indexes and its care-team lead — in bulk, using
``wayfinder.core.crypto`` directly. 10,000 ``create_person`` calls would take minutes for the
same rows; the per-person "person.create" audit events are left out here (the list does not
read the audit trail, it only appends to it). On PostgreSQL the rows go in by COPY; each
blind-index HMAC is computed once per (agency, token) — the bench's names come from short lists.

``--demo --agencies N`` (and ``bench.profile --agencies N``) spreads the persons over N agencies
— the demo's lead agency and bench agencies, the lead largest (``shares``) — with referrals to
the demo's partner agencies (and their consents) for one person in ten and a completed
assessment for one in five, by ``--workers`` processes (``seed_network``), and their audit trail
(``seed_audit``: each person's intake, two looks at the record and, per 25, two list pages
naming them, chained on as ``record`` would): 10^6 persons over 20 agencies in about ten minutes
on two cores.
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
from django.db import connections, router, transaction  # noqa: E402
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


class _Indexer:
    """``crypto.index_terms`` for one agency, with each HMAC computed once per token.

    The bench draws names from a few short lists, so the same tokens recur: the digests (and each
    name's tokens) are remembered for the seed, never stored. The terms are exactly those
    ``crypto.index_terms`` returns (``test_bulk_seed`` checks it).
    """

    def __init__(self, agency_id) -> None:
        self.agency_id = agency_id
        self.digests: dict[tuple[str, str], str] = {}
        self.tokens: dict[str, frozenset[str]] = {}

    def digest(self, kind: str, token: str) -> str:
        key = (kind, token)
        found = self.digests.get(key)
        if found is None:
            found = self.digests[key] = crypto.blind_digest(self.agency_id, kind, token)
        return found

    def terms(self, names, dob: date | None) -> list[tuple[str, str]]:
        tokens: set[str] = set()
        for name in names:
            found = self.tokens.get(name)
            if found is None:
                found = self.tokens[name] = frozenset(crypto.name_tokens(name))
            tokens |= found
        terms = [("name", self.digest("name", t)) for t in sorted(tokens)]
        terms += [
            ("prefix", self.digest("prefix", p)) for p in sorted(crypto.name_prefixes(tokens))
        ]
        if dob:
            terms.append(("dob", self.digest("dob", dob.isoformat())))
        return terms


def _new_code(pseudonyms: set[str], accept=None) -> str:
    code = new_pseudonym()
    while code in pseudonyms or (accept is not None and not accept(code)):
        code = new_pseudonym()
    pseudonyms.add(code)
    return code


def _person(indexer: _Indexer, rng: random.Random, pseudonyms: set[str], now, accept=None):
    """One person as ``create_person`` makes it: (person fields, wrapped key, index terms)."""
    pid = uuid.uuid4()
    code = _new_code(pseudonyms, accept)
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
    terms = indexer.terms([identity.chosen_name, identity.legal_name, *identity.aliases], dob)
    at = now - timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
    fields = {
        "id": pid,
        "pseudonym": code,
        "identity_ct": crypto.encrypt_json(pid, key, identity.to_json(), "identity"),
        "birth_year": dob.year,
        "gender_identity": rng.choice(["woman", "man", "non_binary", "declined"]),
        "preferred_languages": rng.choice(LANGS),
        "interpreter_needed": rng.choice(["yes", "no"]),
        "trafficking_form": rng.choice(["sex", "labour", "both", "unknown"]),
        "safety_level": rng.choice(["safe", "concerns", "unsafe"]),
        "safe_contact_method": rng.choice(["text", "phone", "through_agency"]),
        "created_at": at,
        "updated_at": at,
    }
    return fields, kid, wrapped, terms


class _CopyRows:
    """Rows of one model for PostgreSQL's COPY: the columns ``bulk_create`` would write, the
    constant ones prepared once from a model instance (defaults included), the rest per row."""

    def __init__(self, model, varying: list[str], **constant) -> None:
        conn = connections[router.db_for_write(model)]
        fields = [f for f in model._meta.concrete_fields if f.column != "id" or "id" in varying]
        sample = model(**constant)
        self.model = model
        self.columns = [f.column for f in fields]
        self.template = [f.get_db_prep_save(getattr(sample, f.attname), conn) for f in fields]
        by_name = {f.name: i for i, f in enumerate(fields)} | {
            f.attname: i for i, f in enumerate(fields)
        }
        self.slots = [by_name[name] for name in varying]
        self.rows: list[list] = []

    def add(self, *values) -> None:
        row = self.template.copy()
        for slot, value in zip(self.slots, values, strict=True):
            row[slot] = value
        self.rows.append(row)

    def copy(self) -> None:
        if not self.rows:
            return
        alias = router.db_for_write(self.model)
        table = self.model._meta.db_table
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with (
            connections[alias].cursor() as cur,
            cur.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy,
        ):
            for row in self.rows:
                copy.write_row(row)
        self.rows = []


PERSON_VARYING = [
    "id",
    "pseudonym",
    "identity_ct",
    "birth_year",
    "gender_identity",
    "preferred_languages",
    "interpreter_needed",
    "trafficking_form",
    "safety_level",
    "safe_contact_method",
    "created_at",
    "updated_at",
]


def seed(
    agency,
    user,
    count: int,
    rng: random.Random,
    pseudonyms: set[str],
    *,
    accept=None,
    extras=None,
    batch: int = BATCH,
    stop_at: float | None = None,
) -> int:
    """Add ``count`` persons to the agency, in bulk, shaped exactly as ``create_person`` makes them.

    On PostgreSQL the rows go in by COPY, elsewhere by ``bulk_create``. ``accept(code)`` limits
    the record codes drawn (parallel seeders draw from disjoint sets); ``extras(person_ids)``, if
    given, adds rows for each batch's persons in its transaction. Stops early (at a batch's end)
    once ``time.monotonic()`` passes ``stop_at``. Returns how many persons were added.
    """
    now = timezone.now()
    indexer = _Indexer(agency.pk)
    agency_id, user_id = agency.pk, user.pk
    copying = connections["default"].vendor == "postgresql"
    if copying:
        persons = _CopyRows(
            Person, PERSON_VARYING, owner_agency_id=agency_id, created_by_id=user_id
        )
        keys = _CopyRows(
            DataKey,
            ["person_id", "kek_id", "wrapped"],
            agency_id=agency_id,
            person_id=agency_id,
            created_at=now,
        )
        indexes = _CopyRows(BlindIndex, ["person_id", "kind", "digest"], agency_id=agency_id)
        teams = _CopyRows(
            CareTeamMember,
            ["id", "person_id"],
            person_id=agency_id,
            user_id=user_id,
            agency_id=agency_id,
            is_lead=True,
            added_by_id=user_id,
            created_at=now,
            updated_at=now,
        )
    done = 0
    while done < count:
        size = min(batch, count - done)
        people = [_person(indexer, rng, pseudonyms, now, accept) for _ in range(size)]
        ids = [fields["id"] for fields, *_ in people]
        with transaction.atomic(), transaction.atomic(using="keystore"):
            if copying:
                for fields, kid, wrapped, terms in people:
                    pid = fields["id"]
                    keys.add(pid, kid, wrapped)
                    for kind, digest in terms:
                        indexes.add(pid, kind, digest)
                    persons.add(
                        *(
                            json.dumps(fields[name])
                            if name == "preferred_languages"
                            else fields[name]
                            for name in PERSON_VARYING
                        )
                    )
                    teams.add(uuid.uuid4(), pid)
                keys.copy()
                indexes.copy()
                persons.copy()
                teams.copy()
            else:
                _bulk_create(agency_id, user_id, people, now)
            if extras is not None:
                extras(ids)
        done += size
        if stop_at is not None and time.monotonic() > stop_at:
            break
    return done


def _bulk_create(agency_id, user_id, people, now) -> None:
    """The same rows by ``bulk_create`` (SQLite)."""
    created, updated = Person._meta.get_field("created_at"), Person._meta.get_field("updated_at")
    created.auto_now_add = updated.auto_now = False  # the intake dates spread over three years
    try:
        keys, indexes, persons, teams = [], [], [], []
        for fields, kid, wrapped, terms in people:
            pid = fields["id"]
            keys.append(DataKey(person_id=pid, agency_id=agency_id, kek_id=kid, wrapped=wrapped))
            indexes += [
                BlindIndex(person_id=pid, agency_id=agency_id, kind=kind, digest=digest)
                for kind, digest in terms
            ]
            persons.append(Person(owner_agency_id=agency_id, created_by_id=user_id, **fields))
            teams.append(
                CareTeamMember(
                    person_id=pid,
                    user_id=user_id,
                    agency_id=agency_id,
                    is_lead=True,
                    added_by_id=user_id,
                )
            )
        DataKey.objects.bulk_create(keys)
        BlindIndex.objects.bulk_create(indexes)
        Person.objects.bulk_create(persons)
        CareTeamMember.objects.bulk_create(teams)
    finally:
        created.auto_now_add = updated.auto_now = True


# --- a network of agencies (``--agencies``): 10^6 persons and more -------------------------

REFERRED = 0.10  # of the persons, those with a referral to a partner agency (and its consent)
ASSESSED = 0.20  # of the persons, those with a completed assessment session (and its scores)
# History the dashboard's reads must not walk (docs/benchmarks.md, "Sixth round"):
REASSESSED = 0.50  # of the assessed, those with one to three earlier sittings (superseded)
STALE = 0.10  # of the persons, those with a goal whose one to three steps were never closed
FLAGGED = 0.05  # of the persons, those with a safety flag raised and answered long ago
PAUSED = 0.05  # of the persons, those with an assessment started and left paused (never resumed)
# What ``_Extras`` counts of the rows it makes (``seed_network`` reports them).
EXTRA_COUNTS = ("referrals", "assessments", "stale_steps", "answered_flags", "paused_sessions")
BIG_TABLES = {
    "keystore": ["keystore_datakey", "keystore_blindindex"],
    "default": [
        "people_person",
        "people_careteammember",
        "referrals_referral",
        "consent_consent",
        "assessments_session",
        "assessments_score",
        "assessments_safetyflag",
        "plans_goal",
        "plans_step",
        "audit_auditevent",
    ],
}


def shares(persons: int, agencies: int) -> list[int]:
    """Persons per agency, the first (the lead) largest: agency i gets a share 1/(i+1), as real
    networks have one big agency and a tail of small ones."""
    weights = [1 / (i + 1) for i in range(agencies)]
    counts = [int(persons * w / sum(weights)) for w in weights]
    counts[0] += persons - sum(counts)
    return counts


def network_agencies(lead, navigator, agencies: int) -> list[tuple]:
    """(agency, its navigator): the lead first, then bench agencies made as an admin would."""
    from wayfinder.accounts.models import Agency, User

    found = [(lead, navigator)]
    for i in range(1, agencies):
        name = f"Bench Agency {i:02d}"
        email = f"bench.navigator{i:02d}@example.org"
        agency = Agency.objects.filter(name=name).first() or create_agency(
            actor=None, name=name, kind=AgencyKind.LEAD
        )
        user = User.objects.filter(email=email).first() or (
            add_member(
                actor=None,
                agency=agency,
                email=email,
                role=Role.NAVIGATOR,
                display_name=f"Bench Navigator {i:02d}",
                password=PASSWORD,
                send_invitation=False,
            ).user
        )
        found.append((agency, user))
    return found


class _Extras:
    """Referrals (with their consents) and completed assessment sessions (with their scores) for
    some of a batch's persons: the rows ``referrals.actions`` and ``assessments.actions`` leave,
    in bulk; the sessions are copies of a completed demo session (its instrument and scores).
    And history: earlier sittings the last one superseded, plan steps left open long past due
    (sealed for their person, as ``plans.actions`` seals them), safety flags answered and
    sessions left paused."""

    def __init__(self, agency, user, partners, rng: random.Random) -> None:
        from wayfinder.assessments.models import Score, Session, SessionStatus

        self.agency, self.user, self.partners, self.rng = agency, user, partners, rng
        self.session = (
            Session.objects.filter(status=SessionStatus.COMPLETED)
            .order_by("instrument_id", "created_at")
            .first()
        )
        self.scores = list(Score.objects.filter(session=self.session)) if self.session else []
        self.counts = dict.fromkeys(EXTRA_COUNTS, 0)

    def __call__(self, person_ids) -> None:
        from wayfinder.assessments.models import SafetyFlag, SafetyKind, Score, Session
        from wayfinder.consent.models import Consent
        from wayfinder.plans.models import Goal, Step
        from wayfinder.referrals.models import Delivery, Referral, Status

        rng, now = self.rng, timezone.now()
        referrals, consents, sessions, scores, flags, stale, paused = [], [], [], [], [], [], []
        for pid in person_ids:
            if self.partners and rng.random() < REFERRED:
                partner = rng.choice(self.partners)
                sent = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
                answered = rng.random() < 0.6
                consents.append(
                    Consent(
                        person_id=pid,
                        disclosing_agency=self.agency,
                        recipient_agency=partner,
                        purposes=["referral"],  # the consent a referral is sent under
                        categories=["identity", "communication", "referral_reason"],
                        valid_from=sent - timedelta(hours=1),
                        expires_at=sent + timedelta(days=365),
                        method="electronic_signature",
                        language="eng",
                        form_language="en",
                        grantor_capacity="self",
                        signature_kind="typed",
                        signed_at=sent - timedelta(hours=1),
                        recorded_by=self.user,
                    )
                )
                referrals.append(
                    Referral(
                        person_id=pid,
                        sending_agency=self.agency,
                        created_by=self.user,
                        recipient_agency=partner,
                        recipient_name=partner.name,
                        service_category="legal_civil",
                        delivery=Delivery.NETWORK,
                        status=Status.ACCEPTED if answered else Status.REQUESTED,
                        status_changed_at=sent + timedelta(hours=5) if answered else sent,
                        sent_at=sent,
                        acknowledged_at=sent + timedelta(hours=5) if answered else None,
                        last_activity_at=sent + timedelta(hours=5) if answered else sent,
                    )
                )
            if self.session is not None and rng.random() < ASSESSED:
                last = timezone.localdate(now) - timedelta(days=rng.randint(1, 700))
                earlier = rng.randint(1, 3) if rng.random() < REASSESSED else 0
                for k in range(earlier, -1, -1):  # every 90 days, the last one marked latest
                    session = self._sitting(pid, last - timedelta(days=90 * k), now, k == 0)
                    sessions.append(session)
                    scores += [
                        Score(
                            session=session,
                            score_id=s.score_id,
                            value=s.value,
                            answered=s.answered,
                            declined=s.declined,
                            missing=s.missing,
                            not_scored=s.not_scored,
                        )
                        for s in self.scores
                    ]
            if self.session is not None and rng.random() < PAUSED:
                on = timezone.localdate(now) - timedelta(days=rng.randint(30, 900))
                paused.append(self._sitting(pid, on, now, False, paused=True))
            if rng.random() < STALE:
                stale.append(pid)
            if rng.random() < FLAGGED:
                raised = now - timedelta(days=rng.randint(30, 900))
                flags.append(
                    SafetyFlag(
                        person_id=pid,
                        kind=rng.choice(SafetyKind.values),
                        raised_at=raised,
                        responded_at=raised + timedelta(minutes=rng.randint(5, 120)),
                        raised_by=self.user,
                        responded_by=self.user,
                    )
                )
        goals, steps = self._stale_plans(stale, now)
        Consent.objects.bulk_create(consents)
        Referral.objects.bulk_create(referrals)
        Session.objects.bulk_create(sessions + paused)
        Score.objects.bulk_create(scores)
        SafetyFlag.objects.bulk_create(flags)
        Goal.objects.bulk_create(goals)
        Step.objects.bulk_create(steps)
        self.counts["referrals"] += len(referrals)
        self.counts["assessments"] += len(sessions)
        self.counts["stale_steps"] += len(steps)
        self.counts["answered_flags"] += len(flags)
        self.counts["paused_sessions"] += len(paused)

    def _sitting(self, pid, on, now, latest: bool, *, paused: bool = False):
        from wayfinder.assessments.models import Session, SessionStatus

        if paused:  # started on that day, stopped at its first section, never resumed
            state = {"status": SessionStatus.IN_PROGRESS, "current_section": 1}
        else:  # the person's last (completed) sitting is marked, as complete_session marks it
            state = {
                "status": self.session.status,
                "current_section": self.session.current_section,
                "completed_at": now,
                "completed_by": self.user,
                "latest": latest,
            }
        return Session(
            person_id=pid,
            agency=self.agency,
            started_by=self.user,
            instrument_id=self.session.instrument_id,
            instrument_version=self.session.instrument_version,
            kind=self.session.kind,
            mode=self.session.mode,
            language=self.session.language,
            interpreter_used=self.session.interpreter_used,
            conducted_on=on,
            **state,
        )

    def _stale_plans(self, person_ids, now) -> tuple[list, list]:
        """A goal each, with one to three steps due two months to two years ago and never
        closed: what a plan looks like once the person stopped coming."""
        from wayfinder.plans.actions import GOAL_PURPOSE, STEP_PURPOSE
        from wayfinder.plans.models import Goal, Step

        rng, today = self.rng, timezone.localdate(now)
        keys = crypto.data_keys(person_ids) if person_ids else {}
        goals, steps = [], []
        for pid in person_ids:
            words = {"text": "Find a safe place to live.", "language": "eng"}
            goal = Goal(
                person_id=pid,
                agency=self.agency,
                domain="housing",
                words_ct=crypto.encrypt_json(pid, keys[pid], words, GOAL_PURPOSE),
                created_by=self.user,
            )
            goals.append(goal)
            for _ in range(rng.randint(1, 3)):
                text = {"text": "Call the housing office.", "language": "eng"}
                steps.append(
                    Step(
                        goal=goal,
                        person_id=pid,
                        assignee="person",
                        due_on=today - timedelta(days=rng.randint(60, 700)),
                        text_ct=crypto.encrypt_json(pid, keys[pid], text, STEP_PURPOSE),
                        created_by=self.user,
                    )
                )
        return goals, steps


def _worker(jobs, worker: int, workers: int, partners, pseudonyms, seed_: int, stop_at, out):
    """One seeding process (its own connections): its share of every agency's persons."""
    try:
        out.put(_work(jobs, worker, workers, partners, pseudonyms, seed_, stop_at))
    except BaseException as exc:
        out.put({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        connections.close_all()


def _work(jobs, worker: int, workers: int, partners, pseudonyms, seed_: int, stop_at) -> dict:
    import zlib

    from wayfinder.accounts.models import Agency, User

    for alias in ("default", "keystore"):
        with connections[alias].cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            if alias == "default":
                # The rows are made valid (their agencies, users and persons exist): skip the
                # per-row foreign-key triggers of the bulk load.
                cur.execute("SET session_replication_role = replica")
    rng = random.Random(seed_ * 1000 + worker)
    partner_rows = list(Agency.objects.filter(pk__in=partners))
    accept = (lambda code: zlib.crc32(code.encode()) % workers == worker) if workers > 1 else None
    done = {"persons": 0, **dict.fromkeys(EXTRA_COUNTS, 0)}
    t = time.perf_counter()
    for agency_id, user_id, count in jobs:
        agency, user = Agency.objects.get(pk=agency_id), User.objects.get(pk=user_id)
        extras = _Extras(agency, user, [p for p in partner_rows if p.pk != agency_id], rng)

        def progress(ids, extras=extras):
            extras(ids)
            done["persons"] += len(ids)
            if done["persons"] % 50_000 < len(ids):
                rate = done["persons"] / (time.perf_counter() - t)
                print(
                    f"[worker {worker}] {done['persons']:,} persons, {rate:,.0f}/s",
                    file=sys.stderr,
                    flush=True,
                )

        seed(
            agency,
            user,
            count,
            rng,
            pseudonyms,
            accept=accept,
            extras=progress,
            batch=2000,
            stop_at=stop_at,
        )
        for key, n in extras.counts.items():
            done[key] += n
        if stop_at is not None and time.monotonic() > stop_at:
            break
    return done


# The audit trail the bulk persons' records would have gathered, per person: its intake
# ("person.create"), VIEWS_PER_PERSON looks at the record ("person.view"), and LISTS_PER_PERSON
# list pages that showed it among LIST_PAGE codes ("person.list").
VIEWS_PER_PERSON = 2
LISTS_PER_PERSON = 2
LIST_PAGE = 25


def seed_audit(members, before: set[str], rng: random.Random) -> int:
    """Append the bulk persons' audit events to the chain, after its head, as ``record`` would
    have (``audit verify`` passes): COPY on PostgreSQL, ``bulk_create`` elsewhere, in one
    process (the chain has one head). ``before``: the record codes that were there already.
    Returns the number of events."""
    from wayfinder.audit.events import _hash
    from wayfinder.audit.models import AuditEvent, AuditHead
    from wayfinder.people.models import FIELD_CATEGORIES

    users = {agency.pk: user.pk for agency, user in members}
    everything = sorted(set(FIELD_CATEGORIES.values()))
    postgres = connections["default"].vendor == "postgresql"
    fields = [f.name for f in AuditEvent._meta.concrete_fields]
    rows = _CopyRows(AuditEvent, fields) if postgres else None
    made: list[AuditEvent] = []
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq, prev = head.seq, head.hash

        def append(at, user_id, agency_id, action, person_id, code, categories, detail) -> None:
            nonlocal seq, prev
            seq += 1
            values = {
                "seq": seq,
                "at": at,
                "actor_id": user_id,
                "agency_id": agency_id,
                "action": action,
                "category": "people",
                "object_type": "people.person" if person_id else "",
                "object_id": str(person_id) if person_id else "",
                "person_pseudonym": code,
                "categories": categories,
                "detail": detail,
                "ip": None,
                "via": "web",
                "prev_hash": prev,
            }
            prev = values["hash"] = _hash(values)
            if rows is not None:
                rows.add(*(_audit_db_value(values[f]) for f in fields))
                if len(rows.rows) >= 20_000:
                    rows.copy()
            else:
                made.append(AuditEvent(**values))

        persons = (
            Person.objects.filter(owner_agency_id__in=users)
            .exclude(pseudonym__in=before)
            .order_by("owner_agency_id", "created_at", "pk")
            .values_list("pk", "pseudonym", "owner_agency_id", "created_at")
        )
        page: list[str] = []
        page_agency = None
        for pk, code, agency_id, created in persons.iterator(chunk_size=5_000):
            user_id = users[agency_id]
            if page and agency_id != page_agency:
                page = []
            page_agency = agency_id
            append(created, user_id, agency_id, "person.create", pk, code, everything, {})
            for _ in range(VIEWS_PER_PERSON):
                at = created + timedelta(days=rng.randint(0, 700))
                append(at, user_id, agency_id, "person.view", pk, code, everything, {})
            page.append(code)
            if len(page) == LIST_PAGE:
                for _ in range(LISTS_PER_PERSON):
                    at = created + timedelta(days=rng.randint(0, 30))
                    shown = {"shown": page, "searched": False}
                    append(at, user_id, agency_id, "person.list", None, "", ["identity"], shown)
                page = []
        if rows is not None:
            rows.copy()
        else:
            AuditEvent.objects.bulk_create(made, batch_size=2_000)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return seq - head.seq


def _audit_db_value(value):
    """A value as COPY takes it: JSON as its text, a UUID as its text, the rest as it is."""
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _drop_indexes() -> dict[str, list[str]]:
    """Drop the big tables' plain indexes (not those of keys or unique constraints) for the load;
    returns their definitions, to build them again (sorted, much faster than row by row)."""
    saved: dict[str, list[str]] = {}
    for alias, tables in BIG_TABLES.items():
        with connections[alias].cursor() as cur:
            cur.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
                "AND i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conname = i.indexname)",
                [tables],
            )
            rows = cur.fetchall()
            saved[alias] = [definition for _name, definition in rows]
            for name, _definition in rows:
                cur.execute(f'DROP INDEX "{name}"')
    return saved


def _create_indexes(saved: dict[str, list[str]]) -> None:
    for alias, definitions in saved.items():
        with connections[alias].cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            for definition in definitions:
                cur.execute(definition)


def seed_network(
    lead,
    navigator,
    persons: int,
    agencies: int,
    *,
    workers: int = 2,
    seconds: float | None = None,
    seed_: int = 16,
) -> dict:
    """``persons`` bulk persons over ``agencies`` agencies (the lead and bench agencies, sizes by
    ``shares``), with referrals to the demo's partner agencies and completed assessments in
    proportion, by ``workers`` processes. On PostgreSQL with many persons the big tables' plain
    indexes are dropped for the load and built again after. ``seconds`` caps the seeding time
    (it then stops at a batch's end: fewer persons). Returns counts and timings."""
    import multiprocessing

    from wayfinder.accounts.models import Agency

    t = time.perf_counter()
    members = network_agencies(lead, navigator, agencies)
    partners = [
        a.pk
        for a in Agency.objects.exclude(kind=AgencyKind.LEAD).exclude(name__startswith="Bench ")
    ]
    counts = shares(persons, agencies)
    pseudonyms = set(Person.objects.values_list("pseudonym", flat=True))
    before = set(pseudonyms)  # ``seed`` adds the codes it makes to ``pseudonyms``
    postgres = connections["default"].vendor == "postgresql"
    if not postgres or workers < 2:
        rng = random.Random(seed_)
        made = {"persons": 0, **dict.fromkeys(EXTRA_COUNTS, 0)}
        for (agency, user), count in zip(members, counts, strict=True):
            extras = _Extras(agency, user, list(Agency.objects.filter(pk__in=partners)), rng)
            made["persons"] += seed(agency, user, count, rng, pseudonyms, extras=extras)
            for key, n in extras.counts.items():
                made[key] += n
        made["audit_events"] = seed_audit(members, before, rng)
        return {**made, "seed_s": round(time.perf_counter() - t, 1)}
    saved = _drop_indexes() if persons >= 100_000 else {}
    stop_at = time.monotonic() + seconds if seconds else None
    jobs: list[list] = [[] for _ in range(workers)]
    for (agency, user), count in zip(members, counts, strict=True):
        for w in range(workers):
            part = count // workers + (1 if w < count % workers else 0)
            jobs[w].append((agency.pk, user.pk, part))
    connections.close_all()  # each process opens its own
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [
        ctx.Process(
            target=_worker, args=(jobs[w], w, workers, partners, pseudonyms, seed_, stop_at, out)
        )
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        _create_indexes(saved)
        raise RuntimeError("seeding failed: " + "; ".join(errors))
    made = {k: sum(r[k] for r in results) for k in results[0]}
    made["audit_events"] = seed_audit(members, before, random.Random(seed_))
    seeded = time.perf_counter()
    _create_indexes(saved)
    indexed = time.perf_counter()
    return {
        **made,
        "seed_s": round(seeded - t, 1),
        "index_s": round(indexed - seeded, 1),
        "rate_per_s": round(made["persons"] / (seeded - t)),
    }


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


def demo_network(persons: int, *, agencies: int = 1, workers: int = 2) -> dict:
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
    if agencies > 1:
        timings["network"] = seed_network(lead, navigator, persons, agencies, workers=workers)
    else:
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


def _option(name: str, default: int) -> int:
    """``--name N`` or ``--name=N`` from the command line."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return int(argv[i + 1])
        if arg.startswith(name + "="):
            return int(arg.split("=", 1)[1])
    return default


def _positional() -> list[str]:
    """The command line's arguments that are neither options nor their values."""
    found, skip = [], False
    for arg in sys.argv[1:]:
        if skip:
            skip = False
        elif arg in ("--agencies", "--workers"):
            skip = True
        elif not arg.startswith("--"):
            found.append(arg)
    return found


def main() -> None:
    agencies, workers = _option("--agencies", 1), _option("--workers", 2)
    if "--demo" in sys.argv:
        values = _positional()
        count = int(values[0]) if values else 10_000
        print(json.dumps(demo_network(count, agencies=agencies, workers=workers)))
        return
    args = _positional()
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
