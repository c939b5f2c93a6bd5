"""Edit: the owning agency's casework staff only, through ``update_person``, audited by field."""

from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.people.sealing import identity_of


def _url(person):
    return reverse("person_edit", args=[person.pk])


def test_edit_form_shows_current_answers_and_is_audited_as_a_view(personas, login):
    response = login(personas.navigator_a).get(_url(personas.survivor))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["chosen_name"].value() == "Ana Rivera"
    assert form["language_1"].value() == "spa" and form["language_2"].value() == "eng"
    assert form["date_of_birth"].value().isoformat() == "1996-04-12"
    assert AuditEvent.objects.filter(
        action="person.view", person_pseudonym=personas.survivor.pseudonym
    ).exists()


def test_saving_changes_updates_and_audits_changed_fields(personas, login):
    client = login(personas.navigator_a)
    data = {
        "chosen_name": "Ana R.",
        "legal_name": "Ana María Rivera López",
        "date_of_birth": "1996-04-12",
        "birth_year": "1996",
        "phone": "+1 555 0100",
        "postal_code": "60601",
        "gender_identity": "woman",
        "language_1": "eng",
        "language_2": "spa",
        "interpreter_needed": "no",
        "trafficking_form": "labour",
        "safe_contact_method": "text",
        "safety_level": "declined",
    }
    response = client.post(_url(personas.survivor), data)
    assert response.status_code == 302
    personas.survivor.refresh_from_db()
    assert personas.survivor.preferred_languages == ["eng", "spa"]
    assert personas.survivor.safety_level == "declined"
    assert identity_of(personas.survivor).chosen_name == "Ana R."
    event = AuditEvent.objects.filter(action="person.update").latest("seq")
    assert event.detail == {"fields": ["preferred_languages", "safety_level", "chosen_name"]}


def test_editing_does_not_warn_about_the_record_itself(personas, login):
    response = login(personas.navigator_a).post(
        _url(personas.survivor), {"chosen_name": "Ana Rivera", "date_of_birth": "1996-04-12"}
    )
    assert response.status_code == 302


def test_edit_keeps_a_language_code_that_is_not_in_the_list(personas, login):
    from wayfinder.people.tests.factories import take_in

    person = take_in(
        personas.actor(personas.navigator_a), "Kofi", preferred_languages=["eng", "twi", "gaa"]
    )
    client = login(personas.navigator_a)
    form = client.get(_url(person)).context["form"]
    assert form["language_3"].value() == "gaa"
    assert ("gaa", "gaa") in form.fields["language_3"].choices


def test_outsider_and_partner_without_ownership_get_404(personas, login):
    assert login(personas.outsider_c).get(_url(personas.survivor)).status_code == 404
    response = login(personas.outsider_c).post(_url(personas.survivor), {"chosen_name": "X"})
    assert response.status_code == 404
    assert identity_of(personas.survivor).chosen_name == "Ana Rivera"
