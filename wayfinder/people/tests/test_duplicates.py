"""Duplicate check at intake: within the agency only, live (htmx) and on submit."""

from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.people.models import Person

CHECK = reverse("person_duplicates")
CREATE = reverse("person_create")


def test_live_check_finds_a_likely_duplicate_at_the_agency(personas, login):
    response = login(personas.navigator_a).post(
        CHECK, {"chosen_name": "ana rivera"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "A record at your agency may be the same person" in text
    assert personas.survivor.pseudonym in text
    assert "Rivera" not in text.replace("ana rivera", "")  # no name comes back
    event = AuditEvent.objects.filter(action="person.duplicate_check").latest("seq")
    assert event.detail == {"matches": 1}


def test_live_check_matches_name_token_with_date_of_birth(personas, login):
    text = (
        login(personas.navigator_a)
        .post(
            CHECK,
            {"chosen_name": "Anita", "legal_name": "Ana López", "date_of_birth": "1996-04-12"},
        )
        .content.decode()
    )
    assert personas.survivor.pseudonym in text


def test_live_check_never_reaches_across_agencies(personas, login):
    text = (
        login(personas.outsider_c)
        .post(CHECK, {"chosen_name": "Ana Rivera", "date_of_birth": "1996-04-12"})
        .content.decode()
    )
    assert text.strip() == ""


def test_live_check_for_no_name_says_nothing(personas, login):
    text = login(personas.navigator_a).post(CHECK, {"date_of_birth": "1996-04-12"}).content
    assert text.strip() == b""


def test_live_check_excludes_the_record_being_edited(personas, login):
    text = (
        login(personas.navigator_a)
        .post(CHECK, {"chosen_name": "Ana Rivera", "exclude": str(personas.survivor.pk)})
        .content.decode()
    )
    assert text.strip() == ""


def test_live_check_is_404_for_roles_without_intake_or_foreign_exclude(personas, login):
    assert login(personas.analyst).post(CHECK, {"chosen_name": "Ana Rivera"}).status_code == 404
    response = login(personas.outsider_c).post(
        CHECK, {"chosen_name": "Ana Rivera", "exclude": str(personas.survivor.pk)}
    )
    assert response.status_code == 404


def test_submit_with_a_likely_duplicate_asks_for_confirmation(personas, login):
    client = login(personas.navigator_a)
    response = client.post(CREATE, {"chosen_name": "Ana Rivera"})
    assert response.status_code == 200
    assert response.context["form"].duplicates == [personas.survivor]
    assert "confirm_different" in response.context["form"].errors
    assert Person.objects.count() == 1
    response = client.post(CREATE, {"chosen_name": "Ana Rivera", "confirm_different": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_same_name_at_another_agency_is_not_a_duplicate(personas, login):
    response = login(personas.outsider_c).post(
        CREATE, {"chosen_name": "Ana Rivera", "date_of_birth": "1996-04-12"}
    )
    assert response.status_code == 302
    assert Person.objects.filter(owner_agency=personas.housing).count() == 1
