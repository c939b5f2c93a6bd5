"""Care team changes (htmx fragments): owning agency's casework staff only, every change audited."""

import re

from django.urls import reverse

from wayfinder.accounts.models import Membership
from wayfinder.audit.models import AuditEvent


def _add(client, person, membership, lead=False, htmx=True):
    data = {"member": str(membership.pk)}
    if lead:
        data["make_lead"] = "on"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("care_team_add", args=[person.pk]), data, **headers)


def test_add_a_partner_to_the_team(personas, login):
    membership = Membership.objects.get(user=personas.lawyer_b)
    response = _add(login(personas.navigator_a), personas.survivor, membership)
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "Lee Lawyer (Justice Bridge Legal Aid) joined the care team." in text
    member = personas.survivor.care_team.get(user=personas.lawyer_b)
    assert member.agency == personas.legal and not member.is_lead
    event = AuditEvent.objects.filter(action="care_team.add").latest("seq")
    assert event.actor_id == personas.navigator_a.pk
    assert event.detail == {
        "user_id": personas.lawyer_b.pk,
        "agency_id": str(personas.legal.pk),
        "lead": False,
    }


def test_candidates_are_casework_staff_not_yet_on_the_team(personas, login):
    response = login(personas.navigator_a).get(
        reverse("care_team_add", args=[personas.survivor.pk]), HTTP_HX_REQUEST="true"
    )
    offered = set(re.findall(r'<option value="([0-9a-f-]{36})"', response.content.decode()))
    candidates = {m.user for m in Membership.objects.filter(pk__in=offered)}
    assert personas.lawyer_b in candidates and personas.outsider_c in candidates
    assert personas.admin_a in candidates
    assert personas.navigator_a not in candidates  # already on the team
    assert personas.analyst not in candidates and personas.network_admin not in candidates


def test_the_person_page_offers_the_form_and_fetches_it_when_asked(personas, login):
    """The staff list grows with the network: the record's page links to the form, which is
    fetched into the care-team section (htmx) or opened as a page of its own (no JavaScript)."""
    client = login(personas.navigator_a)
    add_url = reverse("care_team_add", args=[personas.survivor.pk])
    page = client.get(reverse("person_detail", args=[personas.survivor.pk]))
    html = page.content.decode()
    assert "team_form" not in page.context
    assert f'href="{add_url}" hx-get="{add_url}" hx-target="#care-team-body"' in html
    assert 'name="member"' not in html

    fragment = client.get(add_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert f'hx-post="{add_url}"' in fragment and 'name="member"' in fragment
    assert "<h3>Add someone to the care team</h3>" in fragment
    assert "Ada Admin" in fragment  # a candidate
    assert 'hx-get="' not in fragment  # the button gives way to the form

    standalone = client.get(add_url).content.decode()
    assert "<h1>Add someone to the care team</h1>" in standalone
    assert 'name="member"' in standalone and "hx-post" not in standalone
    # Fetching the form reads no one's record: nothing to audit.
    assert not AuditEvent.objects.filter(action__startswith="care_team.").exists()


def test_without_javascript_a_bad_choice_stays_on_the_form_page(personas, login):
    analyst = Membership.objects.get(user=personas.analyst)
    response = _add(login(personas.navigator_a), personas.survivor, analyst, htmx=False)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Add someone to the care team</h1>" in html
    assert "Select a valid choice" in html
    ok = _add(
        login(personas.navigator_a),
        personas.survivor,
        Membership.objects.get(user=personas.lawyer_b),
        htmx=False,
    )
    assert ok.status_code == 302 and ok["Location"].endswith("#care-team")


def test_adding_a_non_casework_membership_is_a_form_error(personas, login):
    analyst = Membership.objects.get(user=personas.analyst)
    response = _add(login(personas.navigator_a), personas.survivor, analyst)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not personas.survivor.care_team.filter(user=personas.analyst).exists()


def test_make_lead_and_remove(personas, login):
    client = login(personas.navigator_a)
    _add(client, personas.survivor, Membership.objects.get(user=personas.admin_a))
    admin_member = personas.survivor.care_team.get(user=personas.admin_a)
    response = client.post(
        reverse("care_team_lead", args=[personas.survivor.pk, admin_member.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert "Ada Admin is now the lead." in response.content.decode()
    lead = personas.survivor.care_team.get(is_lead=True)
    assert lead.user == personas.admin_a
    navigator_member = personas.survivor.care_team.get(user=personas.navigator_a)
    response = client.post(
        reverse("care_team_remove", args=[personas.survivor.pk, navigator_member.pk])
    )
    assert response.status_code == 302 and response["Location"].endswith("#care-team")
    assert list(personas.survivor.care_team.values_list("user", flat=True)) == [personas.admin_a.pk]
    actions = list(
        AuditEvent.objects.filter(person_pseudonym=personas.survivor.pseudonym)
        .filter(action__startswith="care_team.")
        .values_list("action", flat=True)
    )
    assert actions == ["care_team.add", "care_team.lead", "care_team.remove"]


def test_member_of_another_person_is_404(personas, login):
    from wayfinder.people.tests.factories import take_in

    other = take_in(personas.actor(personas.admin_a), "Other")
    foreign_member = other.care_team.get()
    response = login(personas.navigator_a).post(
        reverse("care_team_remove", args=[personas.survivor.pk, foreign_member.pk])
    )
    assert response.status_code == 404
    assert other.care_team.exists()


def test_outsider_gets_404_on_every_team_fragment(personas, login):
    member = personas.survivor.care_team.get()
    client = login(personas.outsider_c)
    own = Membership.objects.get(user=personas.outsider_c)
    assert _add(client, personas.survivor, own).status_code == 404
    add_url = reverse("care_team_add", args=[personas.survivor.pk])
    assert client.get(add_url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(add_url).status_code == 404
    for name in ("care_team_lead", "care_team_remove"):
        url = reverse(name, args=[personas.survivor.pk, member.pk])
        assert client.post(url, HTTP_HX_REQUEST="true").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="care_team.").exists()
