""" "Open now": the search filter (``open_now_q``, SQL) and the service page badge (``is_open``).

Both read a schedule in its HSDS ``timezone`` (a UTC offset) or else in
WAYFINDER_DIRECTORY_TIME_ZONE, run hours past midnight into the next day, honour valid_from and
valid_to, and take "HH:MM" and "HH:MM:SS" alike. A property test holds the two to the same answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from wayfinder.directory import actions
from wayfinder.directory.browse.queries import (
    DAY_CODES,
    is_open,
    open_now_q,
    schedule_text,
    schedule_zone,
)
from wayfinder.directory.models import Schedule, Service

CHICAGO = ZoneInfo("America/Chicago")
_ids = count()


def import_schedules(*schedules: dict, via_site: bool = False) -> list[Service]:
    """One active service per schedule (on the service, or on its site), through the importer."""
    services = []
    for schedule in schedules:
        n = next(_ids)
        schedule = {k: v for k, v in schedule.items() if v is not None}
        schedule = {"id": f"sched-{n}", **schedule}
        service: dict[str, Any] = {"id": f"svc-{n}", "name": f"Service {n}", "status": "active"}
        if via_site:
            service["service_at_locations"] = [{"id": f"sal-{n}", "schedules": [schedule]}]
        else:
            service["schedules"] = [schedule]
        services.append(service)
    org = {"id": "org-open-now", "name": "Org", "description": "Test.", "services": services}
    actions.import_hsds({"t.json": json.dumps([org]).encode()}, actor=None)
    return [Service.objects.get(pk=s["id"]) for s in services]


def schedules_of(service: Service) -> list[Schedule]:
    return list(
        Schedule.objects.filter(service=service)
        | Schedule.objects.filter(service_at_location__service=service)
    )


def searched(service: Service, now: datetime) -> bool:
    return Service.objects.filter(open_now_q(now), pk=service.pk).exists()


def both(service: Service, now: datetime) -> bool:
    """The badge's answer, after checking that the search gives the same."""
    badge = is_open(schedules_of(service), now)
    assert searched(service, now) == badge, f"search and badge disagree at {now.isoformat()}"
    return badge


def at(y, mo, d, h, mi=0, s=0, tz=CHICAGO) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=tz)


# 2026-06-01 is a Monday; Chicago is on CDT (UTC-5) all June.


def test_a_schedule_with_a_utc_offset_is_read_in_that_offset(db):
    [istanbul] = import_schedules(
        {"byday": "MO", "opens_at": "10:00", "closes_at": "18:00", "timezone": 3}
    )
    assert both(istanbul, at(2026, 6, 1, 10, tz=UTC) - timedelta(hours=3))  # 10:00 at UTC+3
    assert both(istanbul, at(2026, 6, 1, 2, 0))  # = 10:00 at UTC+3
    assert not both(istanbul, at(2026, 6, 1, 1, 59, 59))
    assert not both(istanbul, at(2026, 6, 1, 10, 0))  # 18:00 there: closed
    assert both(istanbul, at(2026, 6, 1, 9, 59, 59))


def test_fractional_and_negative_offsets(db):
    kathmandu, newfoundland = import_schedules(
        {"byday": "MO", "opens_at": "09:00", "closes_at": "10:00", "timezone": 5.75},
        {"byday": "MO", "opens_at": "09:00", "closes_at": "10:00", "timezone": -3.5},
    )
    nine_kathmandu = datetime(2026, 6, 1, 3, 15, tzinfo=UTC)
    assert both(kathmandu, nine_kathmandu) and not both(newfoundland, nine_kathmandu)
    assert not both(kathmandu, nine_kathmandu - timedelta(seconds=1))
    nine_newfoundland = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
    assert both(newfoundland, nine_newfoundland) and not both(kathmandu, nine_newfoundland)


def test_a_schedule_without_an_offset_is_read_in_the_directory_time_zone(db, settings):
    [local] = import_schedules({"byday": "MO", "opens_at": "09:00:00", "closes_at": "17:00:00"})
    settings.WAYFINDER_DIRECTORY_TIME_ZONE = "America/Chicago"
    assert both(local, at(2026, 6, 1, 12)) and not both(local, at(2026, 6, 1, 3))
    settings.WAYFINDER_DIRECTORY_TIME_ZONE = "Europe/London"
    assert not both(local, at(2026, 6, 1, 12))  # 18:00 in London
    assert both(local, at(2026, 6, 1, 3))  # 09:00 in London
    assert both(local, at(2026, 6, 1, 16, 59, 59, tz=ZoneInfo("Europe/London")))


def test_the_directory_time_zone_defaults_to_time_zone():
    assert (
        os.environ.get("WAYFINDER_DIRECTORY_TIME_ZONE") or django_settings.TIME_ZONE
    ) == django_settings.WAYFINDER_DIRECTORY_TIME_ZONE


def test_the_directory_time_zone_follows_daylight_saving(db):
    [local] = import_schedules({"byday": "SU", "opens_at": "09:00", "closes_at": "10:00"})
    # 2026-03-08: Chicago moves from CST (UTC-6) to CDT (UTC-5) at 02:00.
    assert both(local, datetime(2026, 3, 8, 14, 0, tzinfo=UTC))  # 09:00 CDT
    assert not both(local, datetime(2026, 3, 8, 15, 0, tzinfo=UTC))  # 10:00 CDT
    assert both(local, datetime(2026, 3, 1, 15, 0, tzinfo=UTC))  # 09:00 CST a week before


def test_overnight_hours_run_into_the_next_day(db):
    [shelter] = import_schedules({"byday": "FR", "opens_at": "20:00", "closes_at": "08:00"})
    friday, saturday = 5, 6  # June 2026
    assert not both(shelter, at(2026, 6, friday, 19, 59, 59))
    assert both(shelter, at(2026, 6, friday, 20))
    assert both(shelter, at(2026, 6, friday, 23, 59, 59))
    assert both(shelter, at(2026, 6, saturday, 0))  # Saturday is not listed: Friday's night
    assert both(shelter, at(2026, 6, saturday, 7, 59, 59))
    assert not both(shelter, at(2026, 6, saturday, 8))
    assert not both(shelter, at(2026, 6, saturday, 21))  # no night starts on Saturday
    assert not both(shelter, at(2026, 6, friday, 3))  # Thursday night is not listed either


def test_an_overnight_schedule_in_its_own_offset(db):
    [shelter] = import_schedules(
        {"byday": "SU", "opens_at": "22:00:00", "closes_at": "06:00:00", "timezone": -8}
    )
    # Sunday 22:00 at UTC-8 is Monday 06:00 UTC = Monday 01:00 in Chicago.
    assert both(shelter, datetime(2026, 6, 8, 6, 0, tzinfo=UTC))
    assert both(shelter, datetime(2026, 6, 8, 13, 59, tzinfo=UTC))  # Monday 05:59 there
    assert not both(shelter, datetime(2026, 6, 8, 14, 0, tzinfo=UTC))


@pytest.mark.parametrize("closes", ["24:00", "24:00:00", "23:59", "23:59:59", "00:00", "00:00:00"])
def test_closing_at_the_end_of_the_day(db, closes):
    [evening] = import_schedules({"byday": "MO", "opens_at": "18:00", "closes_at": closes})
    assert not both(evening, at(2026, 6, 1, 17, 59, 59))
    assert both(evening, at(2026, 6, 1, 18))
    assert both(evening, at(2026, 6, 1, 23, 59, 30))
    assert both(evening, at(2026, 6, 1, 23, 59, 59))
    assert not both(evening, at(2026, 6, 2, 0))
    assert not both(evening, at(2026, 6, 2, 12))


def test_all_day_schedules(db):
    hotline, round_the_clock = import_schedules(
        {"byday": "MO", "opens_at": "00:00", "closes_at": "23:59"},
        {"byday": "MO", "opens_at": "00:00", "closes_at": "00:00"},
    )
    for service in (hotline, round_the_clock):
        assert both(service, at(2026, 6, 1, 0))
        assert both(service, at(2026, 6, 1, 23, 59, 59))
        assert not both(service, at(2026, 6, 2, 0))
        assert not both(service, at(2026, 5, 31, 23, 59, 59))


def test_hh_mm_and_hh_mm_ss_compare_as_times(db):
    a, b, c = import_schedules(
        {"byday": "MO", "opens_at": "09:00", "closes_at": "17:00:00"},
        {"byday": "MO", "opens_at": "09:30:00", "closes_at": "09:30"},  # equal: 24 hours
        {"byday": "MO", "opens_at": "09:30", "closes_at": "09:30:00"},  # equal: 24 hours
    )
    assert not both(a, at(2026, 6, 1, 8, 59, 59))
    assert both(a, at(2026, 6, 1, 9))
    assert both(a, at(2026, 6, 1, 16, 59, 59))
    assert not both(a, at(2026, 6, 1, 17))
    for day_long in (b, c):
        assert both(day_long, at(2026, 6, 1, 9, 30)) and both(day_long, at(2026, 6, 2, 9, 29, 59))
        assert not both(day_long, at(2026, 6, 2, 9, 30))
        assert not both(day_long, at(2026, 6, 1, 9, 29, 59))


def test_a_schedule_counts_only_between_valid_from_and_valid_to(db):
    [summer] = import_schedules(
        {
            "byday": ",".join(DAY_CODES),
            "opens_at": "20:00",
            "closes_at": "08:00",
            "valid_from": "2026-06-01",
            "valid_to": "2026-06-30",
        }
    )
    assert not both(summer, at(2026, 5, 31, 21))
    assert not both(summer, at(2026, 6, 1, 3))  # the night of May 31st
    assert both(summer, at(2026, 6, 1, 21))
    assert both(summer, at(2026, 6, 30, 21))
    assert both(summer, at(2026, 7, 1, 3))  # the night of June 30th goes on into July
    assert not both(summer, at(2026, 7, 1, 21))


def test_monthly_schedules_and_missing_hours_never_count(db):
    monthly, no_hours = import_schedules(
        {"freq": "MONTHLY", "byday": "1MO", "opens_at": "00:00", "closes_at": "23:59"},
        {"byday": "MO", "opens_at": "09:00"},
    )
    assert not both(monthly, at(2026, 6, 1, 12)) and not both(no_hours, at(2026, 6, 1, 12))


def test_site_schedules_count_for_the_service(db):
    [service] = import_schedules(
        {"byday": "mo", "opens_at": "09:00", "closes_at": "17:00", "timezone": -5}, via_site=True
    )
    assert both(service, at(2026, 6, 1, 9)) and not both(service, at(2026, 6, 1, 8))


def test_an_offset_no_place_has_counts_as_none(db):
    [odd] = import_schedules(
        {"byday": "MO", "opens_at": "09:00", "closes_at": "17:00", "timezone": 90}
    )
    assert both(odd, at(2026, 6, 1, 9)) and not both(odd, at(2026, 6, 1, 17))


def test_the_service_page_shows_the_offset_of_hours_that_give_one(db):
    schedule = Schedule(byday="FR", opens_at="20:00:00", closes_at="08:00:00", timezone=-3.5)
    assert schedule_text(schedule) == "Fri 20:00\u201308:00 (UTC-03:30)"
    schedule.timezone = None
    assert schedule_text(schedule) == "Fri 20:00\u201308:00"


# --- through the pages, with the clock moved ------------------------------------------------------


def test_the_search_and_the_badge_on_the_pages(client, db):
    shelter, clinic = import_schedules(
        {"byday": "FR", "opens_at": "20:00", "closes_at": "08:00"},
        {"byday": "SA", "opens_at": "10:00:00", "closes_at": "14:00:00", "timezone": -5},
    )
    names = lambda r: [c.service.name for c in r.context["cards"]]  # noqa: E731
    with time_machine.travel(at(2026, 6, 6, 7, 30), tick=False):  # Saturday early morning
        assert names(client.get("/directory/", {"open_now": "on"})) == [shelter.name]
        assert "Open now" in client.get(f"/directory/services/{shelter.pk}/").content.decode()
        assert "Open now" not in client.get(f"/directory/services/{clinic.pk}/").content.decode()
    with time_machine.travel(at(2026, 6, 6, 11), tick=False):
        assert names(client.get("/directory/", {"open_now": "on"})) == [clinic.name]
        assert "Open now" not in client.get(f"/directory/services/{shelter.pk}/").content.decode()
        assert "Open now" in client.get(f"/directory/services/{clinic.pk}/").content.decode()


def test_outsider_gets_404_for_a_service_that_does_not_exist(personas, login):
    response = login(personas.outsider_c).get("/directory/services/no-such-service/")
    assert response.status_code == 404


def test_open_now_costs_one_small_query_whatever_the_offsets(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import_schedules(
        *[
            {"byday": "MO", "opens_at": "09:00", "closes_at": "17:00", "timezone": tz}
            for tz in (None, -8, -5, 0, 1, 3, 5.5)
        ]
    )
    now = at(2026, 6, 1, 12)
    with CaptureQueriesContext(connection) as queries:
        q = open_now_q(now)
    assert len(queries.captured_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        shown = list(Service.objects.filter(q).values_list("name", flat=True))
    assert len(queries.captured_queries) == 1
    # 12:00 in Chicago (no offset) is 17:00 UTC: 09:00 at -8 and 12:00 at -5 are open too;
    # 17:00 at 0 (closing time), 18:00 at +1, 20:00 at +3 and 22:30 at +5:30 are not.
    assert len(shown) == 3


# --- the setting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, ok", [("Europe/Lisbon", True), ("", True), ("Mars/Olympus", False), ("+03:00", False)]
)
def test_the_directory_time_zone_must_be_an_iana_name(value, ok):
    env = {**os.environ, "WAYFINDER_DIRECTORY_TIME_ZONE": value, "DEBUG": "1"}
    code = "import config.settings as s; print(s.WAYFINDER_DIRECTORY_TIME_ZONE)"
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode == 0) == ok, run.stderr[-500:]
    if ok:
        assert run.stdout.strip() == (value or django_settings.TIME_ZONE)
    else:
        assert "WAYFINDER_DIRECTORY_TIME_ZONE must be an IANA time zone name" in run.stderr


# --- the two implementations agree ----------------------------------------------------------------

hours = st.integers(0, 23)
minutes = st.sampled_from([0, 15, 30, 59])
seconds = st.sampled_from([0, 30, 59])


@st.composite
def clock_times(draw) -> str:
    h, m = draw(hours), draw(minutes)
    return f"{h:02}:{m:02}" if draw(st.booleans()) else f"{h:02}:{m:02}:{draw(seconds):02}"


validity_days = st.dates(date(2026, 3, 4), date(2026, 3, 12)) | st.dates(
    date(2026, 10, 29), date(2026, 11, 4)
)

schedules = st.fixed_dictionaries(
    {
        "freq": st.sampled_from([None, "WEEKLY", "MONTHLY"]),  # the HSDS schema allows only these
        "byday": st.sets(st.sampled_from(DAY_CODES)).map(
            lambda days: ",".join(d for d in DAY_CODES if d in days)
        )
        | st.sampled_from(["mo,we", "SU", ",".join(DAY_CODES)]),
        "opens_at": clock_times() | st.sampled_from(["00:00", "00:00:00", "23:59"]),
        "closes_at": clock_times()
        | st.sampled_from(["24:00", "24:00:00", "23:59", "23:59:59", "00:00", "00:00:00"]),
        "timezone": st.none()
        | st.sampled_from([-12, -10, -6, -5, -3.5, 0, 1, 3, 5.5, 5.75, 9.5, 12.75, 14, 20]),
        "valid_from": st.none() | validity_days.map(date.isoformat),
        "valid_to": st.none() | validity_days.map(date.isoformat),
    }
)

# Around Chicago's daylight-saving changes (2026-03-08 and 2026-11-01).
DAYS_AROUND_DST = [date(2026, 3, 5) + timedelta(days=i) for i in range(7)] + [
    date(2026, 10, 30) + timedelta(days=i) for i in range(5)
]
any_instant = st.builds(
    lambda day, hour, minute, second: datetime.combine(day, datetime.min.time(), UTC).replace(
        hour=hour, minute=minute, second=second
    ),
    st.sampled_from(DAYS_AROUND_DST),
    hours,
    st.sampled_from([0, 14, 15, 29, 30, 44, 45, 59]),
    seconds,
)


def instant_near(draw, drawn: list[dict]) -> datetime:
    """A second before, on or after a drawn opening or closing time, in its zone, on a listed day
    or the day after."""
    schedule = draw(st.sampled_from(drawn))
    text = schedule[draw(st.sampled_from(["opens_at", "closes_at"]))]
    h, m, s = int(text[:2]), int(text[3:5]), int(text[6:8] or 0)
    listed = [d for d in DAYS_AROUND_DST if DAY_CODES[d.weekday()] in schedule["byday"].upper()]
    day = draw(st.sampled_from(listed or DAYS_AROUND_DST)) + timedelta(days=draw(st.integers(0, 1)))
    midnight = datetime.combine(day, datetime.min.time(), schedule_zone(schedule["timezone"]))
    return midnight + timedelta(hours=h, minutes=m, seconds=s + draw(st.sampled_from([-1, 0, 1])))


@settings(
    max_examples=int(os.environ.get("OPEN_NOW_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    drawn=st.lists(schedules, min_size=1, max_size=4),
    via_site=st.booleans(),
    zone=st.sampled_from(["America/Chicago", "UTC", "Asia/Kolkata", "Pacific/Chatham"]),
    data=st.data(),
)
def test_the_search_and_the_badge_agree(db, drawn, via_site, zone, data):
    services = import_schedules(*drawn, via_site=via_site)
    with override_settings(WAYFINDER_DIRECTORY_TIME_ZONE=zone):
        for _ in range(4):
            if data.draw(st.integers(0, 3), label="near an opening or closing time") > 0:
                now = instant_near(data.draw, drawn)
            else:
                now = data.draw(any_instant)
            shown = set(
                Service.objects.filter(
                    open_now_q(now), pk__in=[s.pk for s in services]
                ).values_list("pk", flat=True)
            )
            for service in services:
                badge = is_open(schedules_of(service), now)
                event("open" if badge else "closed")  # --hypothesis-show-statistics: both occur
                assert (service.pk in shown) == badge, (
                    now.isoformat(),
                    schedules_of(service)[0].__dict__,
                )
