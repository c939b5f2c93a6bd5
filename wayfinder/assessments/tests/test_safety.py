"""Safety triggers: an answer that discloses danger raises a flag, shows the person the crisis
screen in hand-over mode, and keeps an urgent banner up until staff record the response."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wayfinder.accounts.models import Role
from wayfinder.assessments import actions, queries, scoring
from wayfinder.assessments.instruments import (
    InstrumentError,
    SafetyKind,
    get_instrument,
    parse_instrument,
)
from wayfinder.assessments.models import Need, SafetyFlag
from wayfinder.assessments.tests.test_loader import minimal
from wayfinder.audit.models import AuditEvent
from wayfinder.core.errors import CodedError
from wayfinder.core.testing import staff

RESPONSE = "Talked with Ana Rivera; called 988 together; safety plan made."


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- the file format ---------------------------------------------------------------------------


def _with_trigger(trigger, item_type="yes_no"):
    data = minimal()
    item = {"id": "q", "type": item_type, "text": {"en": "Q?", "es": "¿Q?"}}
    data["sections"][0]["items"].append(item)
    if item_type == "number":
        item.update({"min": 0, "max": 9})
    item["safety_trigger"] = trigger
    return data


def test_a_trigger_names_its_kind_and_the_answers_that_fire_it():
    inst = parse_instrument(_with_trigger({"kind": "self_harm", "values": ["yes"]}))
    trigger = inst.item("q").safety_trigger
    assert (trigger.kind, trigger.values) == (SafetyKind.SELF_HARM, ("yes",))
    assert [i.id for i in inst.safety_items()] == ["q"]


@pytest.mark.parametrize(
    ("trigger", "item_type", "message"),
    [
        ({"kind": "sad", "values": ["yes"]}, "yes_no", "'sad' is not a safety trigger kind"),
        ({"kind": "self_harm", "values": ["maybe"]}, "yes_no", "has no option 'maybe'"),
        ({"kind": "self_harm", "values": []}, "yes_no", "must not be empty"),
        ({"kind": "self_harm"}, "yes_no", "'values' is required"),
        ({"kind": "self_harm", "values": ["1"]}, "number", "only choice and yes_no items"),
        ({"kind": "self_harm", "values": ["yes"], "x": 1}, "yes_no", "unknown key(s) x"),
    ],
)
def test_a_bad_trigger_is_refused_with_its_place(trigger, item_type, message):
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(_with_trigger(trigger, item_type))
    assert "item 'q'" in str(exc.value) and message in str(exc.value)


def test_the_needs_assessment_declares_its_triggers():
    inst = get_instrument("needs_assessment")
    found = {i.id: (i.safety_trigger.kind, i.safety_trigger.values) for i in inst.safety_items()}
    assert found == {
        "exploitation_ended": ("danger_now", ("ongoing",)),
        "safe_now": ("danger_now", ("no",)),
        "contact_from_exploiter": ("trafficker_nearby", ("yes",)),
        "thoughts_of_harm": ("self_harm", ("yes",)),
    }
    assert get_instrument("needs_assessment", 1).safety_items() == []  # v1 never changes


def test_which_answers_fire():
    inst = get_instrument("needs_assessment")
    fired = scoring.fired_triggers(
        inst,
        {
            "thoughts_of_harm": "yes",
            "safe_now": "mostly",
            "contact_from_exploiter": scoring.DECLINED,
            "exploitation_ended": "ongoing",
        },
    )
    assert [(f.item_id, f.kind) for f in fired] == [
        ("exploitation_ended", "danger_now"),
        ("thoughts_of_harm", "self_harm"),
    ]
    assert scoring.fired_triggers(inst, {"thoughts_of_harm": "no", "safe_now": "yes"}) == []


# --- the actions ----------------------------------------------------------------------------------


def test_a_disclosure_raises_one_flag_audited_without_the_answer(personas, nav, run_session):
    session = run_session("needs_assessment", {}, complete=False)
    result = actions.save_answers(
        session,
        actor=nav,
        answers={"thoughts_of_harm": "yes", "felt_overwhelmed": "never"},
        by_person=True,
    )
    [flag] = result.flags
    assert (flag.kind, flag.source_item, flag.by_person) == ("self_harm", "thoughts_of_harm", True)
    assert flag.is_open and flag.person == personas.survivor
    [event] = events("safety_flag.raise")
    assert event.object_id == str(flag.pk) and event.person_pseudonym == personas.survivor.pseudonym
    assert event.detail == {"session": str(session.pk), "by_person": True}
    assert event.categories == ["assessments", "health"]
    # Saying it again, or changing the answer back, neither repeats nor withdraws the flag.
    assert actions.save_answers(session, actor=nav, answers={"thoughts_of_harm": "yes"}).flags == []
    actions.save_answers(session, actor=nav, answers={"thoughts_of_harm": "no"})
    assert SafetyFlag.objects.get().is_open and len(events("safety_flag.raise")) == 1


def test_no_disclosure_no_flag(nav, run_session):
    session = run_session("needs_assessment", {}, complete=False)
    result = actions.save_answers(
        session, actor=nav, answers={"thoughts_of_harm": scoring.DECLINED, "safe_now": "yes"}
    )
    assert result.flags == [] and not SafetyFlag.objects.exists()


def _flag(nav, run_session, answers=None):
    session = run_session("needs_assessment", {}, complete=False)
    result = actions.save_answers(
        session, actor=nav, answers=answers or {"thoughts_of_harm": "yes"}
    )
    return result.flags[0]


def test_the_response_is_one_audited_action_with_the_note_sealed(personas, nav, run_session):
    flag = _flag(nav, run_session)
    done = actions.respond_to_flag(flag, actor=nav, note=RESPONSE)
    assert not done.is_open and done.responded_by == personas.navigator_a
    assert RESPONSE.encode() not in bytes(done.response_ct)
    assert queries.flag_response(done) == RESPONSE
    [event] = events("safety_flag.respond")
    assert event.object_id == str(flag.pk)
    assert set(event.detail) == {"open_minutes"}
    everything = json.dumps([e.detail for e in AuditEvent.objects.all()])
    # Whole words: an id in the detail may hold the digits 988 (a UUID once did).
    assert not re.search(r"\b(Ana|988|yes)\b", everything), everything
    with pytest.raises(CodedError) as exc:
        actions.respond_to_flag(flag, actor=nav, note="again")
    assert exc.value.code == "flag_answered" and exc.value.status == 409


def test_a_response_needs_words_and_the_owning_agency(personas, nav, run_session):
    flag = _flag(nav, run_session)
    with pytest.raises(CodedError) as exc:
        actions.respond_to_flag(flag, actor=nav, note="   ")
    assert exc.value.code == "response_required" and exc.value.field == "note"
    for user in (personas.lawyer_b, personas.outsider_c):
        with pytest.raises(PermissionDenied):
            actions.respond_to_flag(flag, actor=personas.actor(user), note="done")
    assert SafetyFlag.objects.get().is_open and not events("safety_flag.respond")


def test_needs_come_most_urgent_first_and_the_crisis_need_first(personas, nav, run_session):
    for category, urgency in (("housing", "medium"), ("safety_planning", "immediate")):
        actions.add_need(personas.survivor, actor=nav, category=category, urgency=urgency)
    run_session("needs_assessment", {"thoughts_of_harm": "yes", "job_help": "yes"})
    access = queries.get_access(nav, personas.survivor.pk)
    order = [(n.category, n.urgency) for n in queries.open_needs(access)]
    assert order[:2] == [("crisis_intervention", "immediate"), ("safety_planning", "immediate")]
    ranks = [("immediate", "high", "medium", "low").index(u) for _c, u in order]
    assert ranks == sorted(ranks)
    assert Need.objects.count() == len(order)


# --- who sees a flag -------------------------------------------------------------------------------


def test_a_partner_sees_the_flag_only_with_the_answers_category(
    personas, nav, run_session, share_with_lawyer, web
):
    flag = _flag(nav, run_session)
    lawyer = personas.actor(personas.lawyer_b)
    share_with_lawyer(["assessments", "needs"])
    access = queries.get_access(lawyer, personas.survivor.pk)
    assert queries.open_flags(access) == []
    assert web(personas.lawyer_b).get(url("flag", flag.pk)).status_code == 404
    share_with_lawyer(["assessments", "health"])
    access = queries.get_access(lawyer, personas.survivor.pk)
    assert queries.open_flags(access) == [flag]
    page = web(personas.lawyer_b).get(url("flag", flag.pk)).content.decode()
    assert "Thoughts of hurting themself" in page and 'id="flag-respond"' not in page
    assert web(personas.lawyer_b).post(url("flag", flag.pk), {"note": "x"}).status_code == 404


def test_an_outsider_gets_404_on_the_flag(personas, nav, run_session, web):
    flag = _flag(nav, run_session)
    client = web(personas.outsider_c)
    assert client.get(url("flag", flag.pk)).status_code == 404
    assert client.post(url("flag", flag.pk), {"note": "x"}).status_code == 404
    assert "Safety alert" not in client.get("/").content.decode()


# --- pages -----------------------------------------------------------------------------------------


def test_in_hand_over_the_answer_leads_to_the_crisis_screen_in_the_persons_language(
    personas, nav, web
):
    session = actions.start_session(
        personas.survivor,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language="es",
        interpreter_used="no",
    )
    client = web(personas.navigator_a)
    client.post(url("handover", session.pk))
    section = next(
        n
        for n, s in enumerate(session.instrument.sections, 1)
        if any(i.id == "thoughts_of_harm" for i in s.items)
    )
    response = client.post(url("section", session.pk, section), {"a-thoughts_of_harm": "yes"})
    assert response["Location"] == url("crisis", session.pk)
    html = client.get(url("crisis", session.pk)).content.decode()
    assert "Gracias por decírnoslo" in html and 'href="tel:988"' in html
    assert "1-888-373-7888" in html and 'href="sms:233733"' in html
    assert "Dígaselo a la persona que está con usted." in html
    assert f'href="{url("section", session.pk, section + 1)}"' in html  # continue
    assert 'id="quick-exit"' in html and personas.survivor.pseudonym not in html
    pause = client.get(url("break", session.pk)).content.decode()
    assert "Tómese su tiempo" in pause and 'id="break-continue"' in pause
    # The crisis screen is open only in hand-over mode.
    assert web(personas.admin_a).get(url("crisis", session.pk)).status_code == 302


def test_in_staff_mode_the_worker_is_told_at_once(personas, nav, web, run_session):
    session = run_session("needs_assessment", {}, complete=False)
    client = web(personas.navigator_a)
    section = 2  # safety
    response = client.post(url("section", session.pk, section), {"a-safe_now": "no"}, follow=True)
    assert "Safety concern recorded (in danger now)" in response.content.decode()


def test_banner_on_the_person_page_and_dashboard_until_the_response(
    personas, nav, run_session, web
):
    flag = _flag(nav, run_session)
    client = web(personas.navigator_a)  # lead of the survivor's care team
    person_page = client.get(f"/people/{personas.survivor.pk}/").content.decode()
    dashboard = client.get("/").content.decode()
    for html in (person_page, dashboard):
        assert "urgent-banner" in html and url("flag", flag.pk) in html
        assert html.index("urgent-banner") < html.index("</h1>") + 200
    # A supervisor of the agency sees every open flag, on no care team at all.
    supervisor = staff(personas.lead, "sup.a@example.org", Role.SUPERVISOR, "Sue Pervisor")
    assert url("flag", flag.pk) in web(supervisor).get("/").content.decode()

    response = client.post(url("flag", flag.pk), {"note": ""})
    assert response.status_code == 200 and not SafetyFlag.objects.get().responded_at
    response = client.post(url("flag", flag.pk), {"note": RESPONSE})
    assert response["Location"] == f"/people/{personas.survivor.pk}/"
    assert "urgent-banner" not in client.get(f"/people/{personas.survivor.pk}/").content.decode()
    assert "urgent-banner" not in client.get("/").content.decode()
    assert "urgent-banner" not in web(supervisor).get("/").content.decode()
    done = client.get(url("flag", flag.pk)).content.decode()
    assert RESPONSE in done and 'id="flag-respond"' not in done


def test_review_and_detail_show_the_flag_first(personas, nav, run_session, web):
    flag = _flag(nav, run_session)
    client = web(personas.navigator_a)
    html = client.get(url("review", flag.source_session_id)).content.decode()
    assert html.index('id="safety-flags"') < html.index("<table")
    assert "make a safety plan together" in html
    assert events("safety_flag.list")[-1].detail == {"flags": [str(flag.pk)]}


def test_after_the_last_section_the_crisis_screen_continues_to_the_end(personas, nav, web):
    session = actions.start_session(
        personas.survivor,
        actor=nav,
        instrument_id="needs_assessment",
        mode="in_person",
        language="en",
        interpreter_used="no",
    )
    last = len(session.instrument.sections)
    safety = next(i for i, s in enumerate(session.instrument.sections, 1) if s.id == "safety")
    client = web(personas.navigator_a)
    client.post(url("handover", session.pk))
    # "Continue" goes where the person was going (here: straight to the last section).
    response = client.post(
        url("section", session.pk, safety), {"a-safe_now": "no", "nav": f"goto-{last}"}
    )
    assert response["Location"] == url("crisis", session.pk)
    html = client.get(url("crisis", session.pk)).content.decode()
    assert f'href="{url("section", session.pk, last)}"' in html
    # After a disclosure on the last page (no shipped trigger is there, so the view's mark is set
    # by hand), "continue" leads to the end, not back to the same page.
    from wayfinder.assessments import views

    data = client.session[views.HANDOVER_KEY]
    data["after_crisis"] = "thanks"
    store = client.session
    store[views.HANDOVER_KEY] = data
    store.save()
    html = client.get(url("crisis", session.pk)).content.decode()
    assert f'href="{url("thanks", session.pk)}"' in html
