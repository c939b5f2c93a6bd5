"""A partner on the care team with consent sees exactly the consented categories, nothing else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.people.actions import add_care_team_member


@pytest.fixture
def consented(personas):
    from wayfinder.consent.actions import ConsentRequest, Signature, create_consent

    owner = personas.actor(personas.navigator_a)
    add_care_team_member(
        personas.survivor, actor=owner, user=personas.lawyer_b, agency=personas.legal
    )
    return create_consent(
        personas.survivor,
        ConsentRequest(
            recipient_agency=personas.legal,
            purposes=["care_coordination"],
            categories=["demographics", "communication"],
            expires_at=timezone.now() + timedelta(days=90),
            method="electronic_signature",
            signature=Signature(kind="typed", typed_name="A. R."),
            explained_not_a_condition=True,
        ),
        actor=owner,
    )


def test_partner_sees_only_consented_categories(personas, login, consented):
    response = login(personas.lawyer_b).get(reverse("person_detail", args=[personas.survivor.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<span class="language-badge">Spanish</span>' in text
    assert "Woman" in text
    for hidden in (
        "Ana Rivera",
        "Rivera",
        "555 0100",
        "60601",
        "Labour",
        "Identity (",
        "Contact details",
    ):
        assert hidden not in text, hidden
    sections = [s["category"] for s in response.context["sections"]]
    assert sections == ["demographics", "communication"]
    event = AuditEvent.objects.filter(action="person.view").latest("seq")
    assert event.categories == ["communication", "demographics"]
    assert event.detail["consents"] == [str(consented.pk)]


def test_partner_may_not_edit_or_manage_the_team(personas, login, consented):
    client = login(personas.lawyer_b)
    assert client.get(reverse("person_edit", args=[personas.survivor.pk])).status_code == 404
    member = personas.survivor.care_team.get(user=personas.navigator_a)
    url = reverse("care_team_remove", args=[personas.survivor.pk, member.pk])
    assert client.post(url).status_code == 404
    assert personas.survivor.care_team.filter(pk=member.pk).exists()


def test_partner_list_shows_no_name_without_identity_consent(personas, login, consented):
    text = login(personas.lawyer_b).get(reverse("person_list")).content.decode()
    assert personas.survivor.pseudonym in text
    assert "Ana Rivera" not in text and "Not shared with your agency" in text


def test_partner_caseload_shows_only_consented_columns(personas, login, consented):
    text = login(personas.lawyer_b).get(reverse("dashboard")).content.decode()
    row = text.split(personas.survivor.pseudonym)[1].split("</tr>")[0]
    assert '<span class="language-badge">Spanish</span>' in row
    assert "Not shared with your agency" in row
    assert "Ana" not in row and "Not recorded" not in row  # no safety or time-since column data


def test_partner_list_query_count_does_not_grow(
    personas, login, consented, django_assert_max_num_queries
):
    """Consented persons on the page cost one consent query together, not one each."""
    from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
    from wayfinder.people.tests.factories import take_in

    owner = personas.actor(personas.navigator_a)
    for i in range(5):
        person = take_in(owner, f"Shared {chr(65 + i)}")
        add_care_team_member(person, actor=owner, user=personas.lawyer_b, agency=personas.legal)
        create_consent(
            person,
            ConsentRequest(
                recipient_agency=personas.legal,
                purposes=["care_coordination"],
                categories=["identity"],
                expires_at=timezone.now() + timedelta(days=90),
                method="electronic_signature",
                signature=Signature(kind="typed", typed_name="S."),
                explained_not_a_condition=True,
            ),
            actor=owner,
        )
    client = login(personas.lawyer_b)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("person_list"))
    assert response.content.decode().count("Shared ") == 5


def test_partner_without_identity_consent_cannot_find_a_person_by_name(personas, consented):
    """A typed name must not link to a record code the partner may open under a narrower consent."""
    from wayfinder.people.queries import search_persons

    partner = personas.actor(personas.lawyer_b)
    assert list(search_persons(partner, "")) == [personas.survivor]  # they may open the record
    assert list(search_persons(partner, "Rivera")) == []  # but not find it by name
    assert list(search_persons(partner, personas.survivor.pseudonym)) == [personas.survivor]
    owner = personas.actor(personas.navigator_a)
    assert list(search_persons(owner, "Rivera")) == [personas.survivor]
