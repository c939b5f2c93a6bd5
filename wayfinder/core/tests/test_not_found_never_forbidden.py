"""Every route that names a record answers 404, never 403, to someone who may not see it.

The routes come from the URL resolver, so a new route is checked without anyone remembering to:
either its id arguments can be filled below (it is then tested), or it is listed in ``EXEMPT``
with the reason. A 403 would tell the caller that the record exists; ``handler403`` renders the
404 page, so a view needs no ``except PermissionDenied`` of its own.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from wayfinder.accounts.actions import create_api_token
from wayfinder.assessments.actions import add_need, save_answers, start_session
from wayfinder.plans.actions import add_goal, add_step
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.tests.factories import link, listing, referral_consent

# Routes with arguments that do not name a record someone could be refused (route name → why).
EXEMPT = {
    "directory:service": "the service directory is public to every signed-in user",
    "directory:export": "an export format, not a record",
    "hsds:service": "HSDS is the public directory, open by design",
    "hsds:organization": "HSDS is the public directory, open by design",
    "hsds:service_at_location": "HSDS is the public directory, open by design",
    "hsds:taxonomy": "HSDS is the public directory, open by design",
    "hsds:taxonomy_term": "HSDS is the public directory, open by design",
    "account_confirm_email": "allauth: a one-time key, not a record",
    "account_reset_password_from_key": "allauth: a one-time key, not a record",
    "reports:export": "a measure and a format: aggregates of the visitor's own scope, no record",
    "feedback:card": "a one-time anonymous survey code, public by design (no account)",
    "feedback:portal_start": "a one-time anonymous survey code, public by design (no account)",
    "prevention_public:short": "a campaign's printed short code for the public help page",
    "prevention_public:register": "a training session's public registration page (no account)",
    "portal:portal_api:my_withdraw": "the portal API: 401 to all but portal tokens (portal tests)",
    "referral_inbox_section": "a section (overdue, new, active) of the visitor's own inbox",
}
API_PREFIX = "api/v1/"  # the API's routes are checked below with a token, for their JSON


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name


ARG = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>")


def _routes(*, api: bool):
    """(route, name, argument names) for every route that takes arguments."""
    out = []
    for route, name in _walk(get_resolver().url_patterns):
        args = [m.group(2) or m.group(3) for m in ARG.finditer(route)]
        if not args or route.startswith(API_PREFIX) != api:
            continue
        out.append((route, name, args))
    return out


PAGE_ROUTES = [r for r in _routes(api=False) if r[1] not in EXEMPT]
API_ROUTES = [r for r in _routes(api=True) if r[1] not in EXEMPT]


def _fill(route: str, values: dict) -> str:
    def sub(m):
        return str(values[m.group(2)])

    return "/" + ARG.sub(sub, route)


@pytest.fixture
def records(personas, settings, tmp_path):
    """One of each record about the survivor, made by agency A with the real actions.

    ``lawyer_b`` is on the survivor's care team but has no consent: a partner without consent.
    The one consent names a fourth agency, so neither visitor is its recipient.
    """
    from wayfinder.accounts.actions import create_agency
    from wayfinder.accounts.models import AgencyKind, Membership
    from wayfinder.people.actions import add_care_team_member
    from wayfinder.reports.models import ReportRun

    settings.WAYFINDER_REQUIRE_MFA = False
    nav = personas.actor(personas.navigator_a)
    person = personas.survivor
    add_care_team_member(person, actor=nav, user=personas.lawyer_b, agency=personas.legal)
    clinic = create_agency(actor=None, name="Quiet Clinic", kind=AgencyKind.HEALTH)
    consent = referral_consent(personas, clinic, ["identity"])
    service = listing("org-justice", "Justice Bridge Legal Aid", ["legal_civil"])
    link(personas, personas.legal, service)
    own_listing = listing("org-harbor", "Harbor Light Alliance", ["case_management"])
    link(personas, personas.lead, own_listing)  # agency A's own entry: only A may edit it
    need = add_need(person, actor=nav, category="legal_civil", urgency="high")
    referral = create_referral(person, ReferralRequest(service=service, send=False), actor=nav)
    goal = add_goal(person, actor=nav, text="A safe place to live", domain="housing")
    step = add_step(goal, actor=nav, text="Call the shelter", assignee="person")
    session = start_session(
        person,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language="en",
        interpreter_used="no",
    )
    flag = save_answers(session, actor=nav, answers={"thoughts_of_harm": "yes"}).flags[0]
    token, _raw = create_api_token(actor=nav, agency=nav.agency, name="kept")
    # A role an admin of agency A asked for themself, waiting for a second admin of A.
    from wayfinder.accounts.actions import request_role
    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff

    staff(personas.lead, "admin.two@example.org", Role.AGENCY_ADMIN)
    grant = request_role(
        actor=personas.actor(personas.admin_a), agency=personas.lead, role=Role.SUPERVISOR
    )
    # A case review of agency A that neither visitor attends, with the survivor on its agenda.
    from datetime import UTC, datetime

    from wayfinder.conferences import actions as conferences

    series = conferences.create_series(
        actor=nav,
        name="Case review",
        type="case_review",
        rrule="FREQ=WEEKLY",
        starts_at=datetime(2030, 1, 1, 15, tzinfo=UTC),
        place="Room 1",
    )
    meeting = conferences.schedule_next_meeting(series, actor=nav)
    agenda_item = conferences.add_item(meeting, actor=nav, person=person)
    # An anonymous comment to agency A that names someone: it waits for A's admin.
    from wayfinder.feedback import actions as feedback
    from wayfinder.feedback.models import Comment

    code = feedback.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="card"
    )
    feedback.submit_response(code, {}, "Maria Lopez gave me her phone 555 123 4567")
    action = conferences.add_action_item(
        agenda_item,
        actor=nav,
        text="Call back",
        due_on=datetime(2030, 1, 5, tzinfo=UTC).date(),
        owner_user=personas.navigator_a,
    )
    return {
        "action_id": action.pk,
        "meeting_id": meeting.pk,
        "series_id": series.pk,
        "item_id": agenda_item.pk,
        "person_id": person.pk,
        "member_id": person.care_team.get(user=personas.navigator_a).pk,
        "need_id": need.pk,
        "session_id": session.pk,
        "flag_id": flag.pk,
        "index": 0,
        "consent_id": consent.pk,
        "referral_id": referral.pk,
        "name": "accept",
        "service_id": service.pk,
        "pk": own_listing.pk,
        "goal_id": goal.pk,
        "step_id": step.pk,
        "note_id": None,
        "membership_id": Membership.objects.get(user=personas.navigator_a).pk,
        "agency_id": personas.lead.pk,
        "token_id": token.pk,
        "grant_id": grant.pk,
        # A saved report run of agency A's own figures.
        "run_id": ReportRun.objects.create(
            definition="tims", definition_version=1, agency=personas.lead
        ).pk,
        "comment_id": Comment.objects.get().pk,
        **_prevention_records(personas, settings, tmp_path),
    }


def _prevention_records(personas, settings, tmp_path) -> dict:
    """A course, session, trainee, campaign, material and code of agency A's trainer."""
    from django.core.files.base import ContentFile

    from wayfinder.prevention import actions as prevention
    from wayfinder.prevention.tests.factories import campaign, course, session, trainer

    settings.MEDIA_ROOT = tmp_path / "media"
    actor = trainer(personas.lead, "lead.trainer@example.org")
    c = course(actor)
    s = session(actor, course=c)
    reg = prevention.register(
        s, name="Tess Trainee", email="tess@example.org", organisation="", sector="youth"
    )
    camp = campaign(actor)
    material = prevention.add_material(
        actor=actor,
        campaign=camp,
        title="Leaflet",
        language="en",
        file=ContentFile(b"leaflet", name="leaflet.txt"),
    )
    link = prevention.add_link_code(camp, actor=actor, code="ROUTE1")
    return {
        "course_id": c.pk,
        "material_id": material.pk,
        "registration_id": reg.pk,
        "phase": "pre",
        "campaign_id": camp.pk,
        "code": link.code,
    }


def test_every_page_route_with_arguments_is_tested_or_exempt(records):
    """A route whose argument cannot be filled would slip through: fill it, or exempt it."""
    missing = {name: a for _r, name, args in PAGE_ROUTES for a in args if a not in records}
    assert not missing, f"add a record for these arguments, or exempt the route: {missing}"
    assert len(PAGE_ROUTES) >= 50  # the walk found the app's routes


@pytest.mark.parametrize("visitor", ["outsider_c", "lawyer_b"])
@pytest.mark.parametrize(("route", "name", "args"), PAGE_ROUTES, ids=[r[0] for r in PAGE_ROUTES])
def test_a_record_the_visitor_may_not_see_is_404_never_403(
    personas, records, client, visitor, route, name, args
):
    client.force_login(getattr(personas, visitor))
    url = _fill(route, records)
    got = client.get(url)
    sent = client.post(url, {})
    # 405: the route takes no such method at all, whatever the id (it says nothing about the
    # record). Anything else is a leak: 403 confirms the record, 200 shows it, 302 wrote to it.
    assert got.status_code in (404, 405), f"GET {name}: {got.status_code}"
    assert sent.status_code in (404, 405), f"POST {name}: {sent.status_code}"
    assert 404 in (got.status_code, sent.status_code), name


@pytest.mark.parametrize("visitor", ["outsider_c", "lawyer_b"])
def test_the_api_answers_404_with_its_json_for_a_record_the_caller_may_not_see(
    personas, records, visitor
):
    from django.test import Client

    user = getattr(personas, visitor)
    actor = personas.actor(user)
    _token, raw = create_api_token(actor=actor, agency=actor.agency, name="probe")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    checked = 0
    for route, _name, args in API_ROUTES:
        if not set(args) <= set(records) or any(records[a] is None for a in args):
            continue
        response = api.get(_fill(route, records))
        if response.status_code == 405:  # no GET here
            continue
        checked += 1
        assert response.status_code == 404, f"GET {route}: {response.status_code}"
        assert response.json()["code"] == "not_found", route
    assert checked >= 10


def test_permission_denied_renders_the_404_page_or_the_apis_404_json(db):
    from django.core.exceptions import PermissionDenied
    from django.test import override_settings
    from django.urls import path

    def refuse(request):
        raise PermissionDenied

    from config import urls as project

    class Urls:  # the project's routes, plus one page and one API view that refuse
        urlpatterns = [path("refused/", refuse), path("api/v1/refused/", refuse)]
        urlpatterns += project.urlpatterns
        handler403 = project.handler403

    from django.test import Client

    with override_settings(ROOT_URLCONF=Urls):
        page = Client().get("/refused/")
        api = Client().get("/api/v1/refused/")
    assert page.status_code == 404 and b"<html" in page.content.lower()
    assert api.status_code == 404 and api.json()["code"] == "not_found"


def test_exempt_routes_still_exist():
    names = {name for _r, name in _walk(get_resolver().url_patterns)}
    assert set(EXEMPT) <= names, set(EXEMPT) - names


@pytest.mark.parametrize(("route", "name", "args"), PAGE_ROUTES, ids=[r[0] for r in PAGE_ROUTES])
def test_a_write_refused_to_a_partner_who_may_read_is_never_403(
    personas, records, client, route, name, args
):
    """With consent the partner reads the record, but the owner's writes refuse it inside the
    action (``PermissionDenied``): the page answers 404, never 403, and never a server error."""
    referral_consent(personas, personas.legal, ["identity", "demographics", "plan", "needs"])
    client.force_login(personas.lawyer_b)
    sent = client.post(_fill(route, records), {})
    assert sent.status_code != 403 and sent.status_code < 500, f"POST {name}: {sent.status_code}"
