"""Intake: only a name is required, every other answer may be "Prefer not to say"."""

from datetime import date

from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.people.models import Person
from wayfinder.people.sealing import identity_of

URL = reverse("person_create")


def _post(client, **data):
    return client.post(URL, data)


def test_only_the_name_is_required(personas, login):
    response = login(personas.navigator_a).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert [name for name, f in form.fields.items() if f.required] == ["chosen_name"]
    text = response.content.decode()
    for legend in (
        "About you",
        "Language and communication",
        "Safety and contact",
        "Your situation",
    ):
        assert f"<legend>{legend}</legend>" in text
    assert "When did this end? (if you want to share)" in text


def test_intake_with_a_name_only_creates_the_person_with_audit(personas, login):
    response = _post(login(personas.navigator_a), chosen_name="Rosa")
    person = Person.objects.exclude(pk=personas.survivor.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "person_detail", args=[person.pk]
    )
    assert identity_of(person).chosen_name == "Rosa"
    assert person.care_team.get().user == personas.navigator_a and person.care_team.get().is_lead
    event = AuditEvent.objects.get(action="person.create", person_pseudonym=person.pseudonym)
    assert event.actor_id == personas.navigator_a.pk and event.agency_id == personas.lead.pk
    assert "Rosa" not in str(event.detail)


def test_full_intake_keeps_ranked_languages_and_every_answer(personas, login):
    _post(
        login(personas.navigator_a),
        chosen_name="Mateo",
        legal_name="Mateo Quispe",
        aliases="Teo\nMat",
        date_of_birth="1988-01-30",
        pronouns="he/him",
        gender_identity="man",
        country_of_origin="GT",
        language_1="quc",
        language_2="spa",
        interpreter_needed="yes",
        safety_level="concerns",
        safe_contact_method="phone",
        phone="+1 312 555 0199",
        trafficking_form="labour",
        exploitation_ended_on="2025-08-20",
        referral_source="hotline",
    )
    person = Person.objects.get(country_of_origin="GT")
    assert person.preferred_languages == ["quc", "spa"]
    assert person.birth_year == 1988  # taken from the date of birth
    assert person.interpreter_needed == "yes" and person.safety_level == "concerns"
    assert person.exploitation_ended_on == date(2025, 8, 20)
    identity = identity_of(person)
    assert identity.aliases == ["Teo", "Mat"] and identity.date_of_birth == date(1988, 1, 30)
    assert identity.phone == "+1 312 555 0199"


def test_declined_answers_are_stored_as_declined(personas, login):
    _post(
        login(personas.navigator_a),
        chosen_name="Quiet",
        date_of_birth_declined="on",
        phone_declined="on",
        preferred_languages_declined="on",
        exploitation_ended_on_declined="on",
        gender_identity="declined",
        trafficking_form="declined",
    )
    person = Person.objects.exclude(pk=personas.survivor.pk).get()
    assert sorted(person.declined) == ["exploitation_ended_on", "preferred_languages"]
    assert person.gender_identity == "declined" and person.trafficking_form == "declined"
    assert person.safety_level == ""  # not asked is not the same as declined
    assert sorted(identity_of(person).declined) == ["date_of_birth", "phone"]


def test_an_answer_and_prefer_not_to_say_together_is_an_error(personas, login):
    response = _post(
        login(personas.navigator_a), chosen_name="Both", phone="555", phone_declined="on"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Give an answer or tick “Prefer not to say”, not both."
    ]
    assert Person.objects.count() == 1


def test_missing_name_or_bad_dates_are_form_errors(personas, login):
    client = login(personas.navigator_a)
    response = _post(client, chosen_name="  ")
    assert "chosen_name" in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    response = _post(client, chosen_name="Future", exploitation_ended_on="2999-01-01")
    assert response.context["form"].errors["exploitation_ended_on"] == [
        "This date is in the future."
    ]
    response = _post(client, chosen_name="Mismatch", date_of_birth="1990-01-01", birth_year="1991")
    assert "birth_year" in response.context["form"].errors
    response = _post(client, chosen_name="Twice", language_1="spa", language_2="spa")
    assert "language_2" in response.context["form"].errors
    assert Person.objects.count() == 1


def test_roles_without_intake_get_404(personas, login):
    for user in (personas.analyst, personas.network_admin, personas.lawyer_b):
        client = login(user)
        assert client.get(URL).status_code == 404
        assert _post(client, chosen_name="Nope").status_code == 404
    assert Person.objects.count() == 1


def test_outsider_takes_in_at_their_own_agency(personas, login):
    _post(login(personas.outsider_c), chosen_name="Housing Client")
    person = Person.objects.exclude(pk=personas.survivor.pk).get()
    assert person.owner_agency == personas.housing


def test_the_form_and_the_api_refuse_a_date_of_birth_before_1900(personas, login):
    """One set of rules (``people.actions.check_intake``): the form used to take 1899."""
    from django.conf import settings

    client = login(personas.navigator_a)
    response = _post(client, chosen_name="Old", date_of_birth="1899-12-31")
    assert response.context["form"].errors["date_of_birth"] == ["Give a date in 1900 or later."]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = _post(client, chosen_name="Old", date_of_birth="1899-12-31")
    assert response.status_code == 200 and "Indique una fecha de 1900" in response.content.decode()
    from django.test import Client

    from wayfinder.accounts.actions import create_api_token

    actor = personas.actor(personas.navigator_a)
    _token, raw = create_api_token(actor=actor, agency=actor.agency, name="test")
    answer = Client().post(
        "/api/v1/persons/",
        {"chosen_name": "Old", "date_of_birth": "1899-12-31"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_input"
    assert Person.objects.count() == 1


def test_create_and_update_person_keep_the_intake_rules_for_every_caller(personas):
    import pytest
    from django.core.exceptions import ValidationError

    from wayfinder.people.actions import create_person, update_person
    from wayfinder.people.models import Identity

    actor = personas.actor(personas.navigator_a)
    with pytest.raises(ValidationError) as exc:
        create_person(
            actor=actor,
            identity=Identity(chosen_name="Old", date_of_birth=date(1899, 1, 1)),
            preferred_languages=["spa", "spa"],
        )
    assert {f: [e.code for e in errs] for f, errs in exc.value.error_dict.items()} == {
        "date_of_birth": ["date_too_early"],
        "preferred_languages": ["language_repeated"],
    }
    with pytest.raises(ValidationError) as exc:
        update_person(personas.survivor, actor=actor, birth_year=1850)
    assert exc.value.error_dict["birth_year"][0].code == "birth_year_invalid"
    with pytest.raises(ValidationError) as exc:
        update_person(personas.survivor, actor=actor, exploitation_ended_on=date(2999, 1, 1))
    assert exc.value.error_dict["exploitation_ended_on"][0].code == "date_in_future"
    assert Person.objects.count() == 1
