"""The survivor's voice before the meeting: sealed words, attend or be represented, exclusions."""

import re

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.conferences import actions
from wayfinder.conferences.models import AgendaItem

pytestmark = pytest.mark.django_db

KNOW = "Quiero que sepan que tengo miedo de volver al piso"
DECIDE = "I want the team to decide about the shelter"


def voice_page(client, item):
    return client.get(f"/conferences/i/{item.pk}/voice/")


def test_the_navigator_records_the_voice_on_its_page(web, personas, item):
    client = web(personas.navigator_a)
    assert voice_page(client, item).status_code == 200
    r = client.post(
        f"/conferences/i/{item.pk}/voice/",
        {"know": KNOW, "decide": DECIDE, "wish": "represented", "representative": "Her lawyer"},
    )
    assert r.status_code == 302
    stored = AgendaItem.objects.get(pk=item.pk)
    assert KNOW.encode() not in bytes(stored.voice_ct)  # sealed
    assert stored.attendance_wish == "represented"
    event = AuditEvent.objects.filter(action="conference.voice").latest("seq")
    assert event.detail == {"wish": "represented", "know": True, "decide": True}
    assert KNOW not in str(event.detail)
    html = client.get(f"/conferences/i/{item.pk}/").content.decode()
    assert "In their own words" in html and KNOW in html and DECIDE in html
    assert "represented by Her lawyer" in html


def test_represented_without_a_name_is_a_form_error(web, personas, item):
    r = web(personas.navigator_a).post(
        f"/conferences/i/{item.pk}/voice/", {"know": KNOW, "wish": "represented"}
    )
    assert r.status_code == 400
    assert "Say who will represent them." in r.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).voice_ct is None


def test_only_the_owning_agency_records_the_voice(web, personas, item):
    for user in (personas.lawyer_b, personas.outsider_c):
        client = web(user)
        assert voice_page(client, item).status_code == 404
        r = client.post(f"/conferences/i/{item.pk}/voice/", {"know": KNOW})
        assert r.status_code == 404
    assert AgendaItem.objects.get(pk=item.pk).voice_ct is None


def test_consented_attendee_reads_the_words_unconsented_sees_restricted_only(
    web, personas, item, nav, conf_consent
):
    conf_consent(("identity", "plan"))  # legal aid only
    actions.record_voice(item, actor=nav, know=KNOW, decide=DECIDE, attendance_wish="attend")
    consented = web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    assert "In their own words" in consented and KNOW in consented
    assert "They want to attend" in consented
    unconsented = web(personas.outsider_c).get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Restricted" in unconsented
    assert KNOW not in unconsented and DECIDE not in unconsented
    assert "In their own words" not in unconsented and "attend" not in unconsented.lower()


def test_excluded_categories_are_hidden_from_everyone_with_the_voice(
    web, personas, item, nav, conf_consent
):
    conf_consent(("identity", "plan"))
    actions.record_voice(item, actor=nav, know=KNOW)
    client = web(personas.navigator_a)
    r = client.post(f"/conferences/i/{item.pk}/exclusions/", {"categories": ["plan"]})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="conference.item_exclusions").exists()
    for user in (personas.navigator_a, personas.lawyer_b):
        html = web(user).get(f"/conferences/i/{item.pk}/").content.decode()
        assert 'data-category="plan"' not in html and "overdue" not in html
        assert KNOW in html
    owner = client.get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Not to be discussed" in owner and "Plan and goals" in owner
    partner = web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Plan and goals" not in partner  # the partner is not told what was excluded
    assert "some subjects not be discussed" in partner


def test_excluding_every_consented_category_restricts_the_voice_too(
    web, personas, item, nav, conf_consent
):
    conf_consent(("identity", "plan"))
    actions.record_voice(item, actor=nav, know=KNOW)
    actions.set_exclusions(item, actor=nav, categories=["identity", "plan"])
    html = web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Restricted" in html and KNOW not in html
    assert re.findall(r'data-category="(\w+)"', html) == []


def test_voice_page_in_spanish(web, personas, item):
    html = (
        web(personas.navigator_a)
        .get(f"/conferences/i/{item.pk}/voice/", headers={"accept-language": "es"})
        .content.decode()
    )
    assert "En sus propias palabras" in html


def test_the_voice_carries_over_with_a_deferred_item(personas, item, meeting, nav):
    actions.record_voice(item, actor=nav, know=KNOW, attendance_wish="neither")
    actions.set_outcome(item, actor=nav, outcome="deferred")
    nxt = actions.schedule_next_meeting(meeting.series, actor=nav)
    carried = nxt.items.get()
    assert carried.attendance_wish == "neither"
    from wayfinder.conferences.queries import item_view

    assert actions.voice_for(item_view(carried, personas.lead))["know"] == KNOW


def test_a_navigator_who_does_not_attend_finds_the_item_on_meetings(web, personas, item):
    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff

    colleague = staff(personas.lead, "nav2@example.org", Role.NAVIGATOR, "Nora Nav")
    client = web(colleague)
    html = client.get("/conferences/").content.decode()
    assert f"/conferences/i/{item.pk}/voice/" in html and personas.survivor.pseudonym in html
    assert "Ana Rivera" not in html
    r = client.post(f"/conferences/i/{item.pk}/voice/", {"know": KNOW, "wish": "neither"})
    assert r.status_code == 302 and r["Location"] == "/conferences/"
    assert client.get(f"/conferences/i/{item.pk}/").status_code == 404  # not an attendee
    # another agency's staff are not offered it
    assert (
        f"/conferences/i/{item.pk}/voice/"
        not in web(personas.lawyer_b).get("/conferences/").content.decode()
    )


def test_the_api_item_carries_the_voice_under_the_same_cut(
    api_as, personas, item, nav, conf_consent
):
    conf_consent(("identity",))
    actions.record_voice(
        item, actor=nav, know=KNOW, attendance_wish="represented", representative="Her lawyer"
    )
    body = api_as(personas.lawyer_b).get(f"/api/v1/conferences/items/{item.pk}/").json()
    assert body["voice"] == {
        "know": KNOW,
        "decide": "",
        "wish": "represented",
        "representative": "Her lawyer",
    }
    body = api_as(personas.outsider_c).get(f"/api/v1/conferences/items/{item.pk}/").json()
    assert body["restricted"] is True and body["voice"] is None
