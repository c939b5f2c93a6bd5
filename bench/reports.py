"""The TIMS snapshot over 10^6 services delivered for 10^5 persons, on PostgreSQL.

``DATABASE_URL=postgres://… python -m bench.reports`` (a database you can fill: it is migrated
and seeded with ``generate_series``, once). Times ``funder.run("tims", …)`` for one quarter of the
network against the floor: the plain aggregate queries it cannot beat (persons served and new
counted once, services by category), each the median of N runs after a warm-up. Prints JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import date

PERSONS = 100_000
SERVICES = 1_000_000
RUNS = 7


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from wayfinder.accounts.models import Agency, AgencyKind
    from wayfinder.reports import funder
    from wayfinder.reports import queries as q

    if connection.vendor != "postgresql":
        sys.exit("bench.reports runs on PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM delivery_servicedelivery")
        have = cur.fetchone()[0]
    if have < SERVICES:
        agency, _new = Agency.objects.get_or_create(
            name="Bench agency", defaults={"kind": AgencyKind.LEAD}
        )
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO people_person (id, created_at, updated_at, pseudonym, birth_year,
                  gender_identity, pronouns, preferred_languages, interpreter_needed,
                  country_of_origin, trafficking_form, safety_level, safe_contact_method,
                  referral_source, staff_gender_preference, faith_preference, declined,
                  owner_agency_id)
                SELECT gen_random_uuid(), timestamptz '2025-01-01' + (g %% 730) * interval '1 day',
                  now(), 'B-' || g, 1960 + g %% 50,
                  (ARRAY['woman','man','transgender','non_binary',''])[1 + g %% 5], '', '[]'::jsonb,
                  '', '', (ARRAY['sex','labour','both','unknown'])[1 + g %% 4], '', '',
                  (ARRAY['self','hotline','law_enforcement'])[1 + g %% 3], '', '', '[]'::jsonb, %s
                FROM generate_series(1, %s) AS g
                """,
                [agency.pk, PERSONS],
            )
            cur.execute(
                """
                INSERT INTO delivery_servicedelivery (id, created_at, updated_at, delivered_on,
                  category, quantity, unit, agency_id, person_id)
                SELECT gen_random_uuid(), now(), now(), date '2025-01-01' + (g %% 730),
                  (ARRAY['case_management','housing','legal_immigration','mental_health',
                         'medical','transportation','basic_needs','vocational'])[1 + g %% 8],
                  1, 'sessions', %s, p.id
                FROM generate_series(1, %s) AS g
                JOIN people_person p ON p.pseudonym = 'B-' || (1 + g %% %s)
                """,
                [agency.pk, SERVICES, PERSONS],
            )
            cur.execute("ANALYZE")
    period = q.Period(date(2025, 10, 1), date(2025, 12, 31))
    scope = q.Scope(None)

    def tims() -> None:
        funder.run("tims", scope, period)

    def floor() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT category, count(*) FROM delivery_servicedelivery "
                "WHERE delivered_on BETWEEN %s AND %s GROUP BY category",
                [period.start, period.end],
            )
            cur.fetchall()
            cur.execute(
                "SELECT count(*) FROM people_person WHERE forgotten_at IS NULL AND "
                "(created_at >= %s AND created_at < %s OR id IN (SELECT person_id FROM "
                "delivery_servicedelivery WHERE delivered_on BETWEEN %s AND %s))",
                [*period.bounds(), period.start, period.end],
            )
            cur.fetchall()

    def timed(fn) -> list[float]:
        fn()
        out = []
        for _i in range(RUNS):
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
        return out

    t, f = timed(tims), timed(floor)
    print(
        json.dumps(
            {
                "persons": PERSONS,
                "services": SERVICES,
                "period": period.label(),
                "tims_median_ms": round(statistics.median(t), 1),
                "tims_max_ms": round(max(t), 1),
                "floor_median_ms": round(statistics.median(f), 1),
                "runs": RUNS,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
