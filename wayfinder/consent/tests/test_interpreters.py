"""Who interpreted, on the consent form (issue 17, item 4): asked only when it applies, recorded
with the consent and its audit event; the old "an interpreter helped" stays the summary."""

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.models import Consent
from wayfinder.consent.tests.test_views import form_data
from wayfinder.people.models import Person


def test_the_form_asks_who_interpreted_only_when_it_applies(personas, web):
    client = web(personas.navigator_a)
    url = f"/consent/person/{personas.survivor.pk}/new/"
    assert "Who interpreted?" not in client.get(url).content.decode()  # speaks English too
    Person.objects.filter(pk=personas.survivor.pk).update(
        preferred_languages=["vie"], interpreter_needed="yes"
    )
    html = client.get(url).content.decode()
    assert "Who interpreted?" in html and "Network agencies" in html
    response = client.post(url, form_data(personas, language="vie", form_language="en"))
    assert response.status_code == 200 and not Consent.objects.exists()  # required now


def test_an_agency_interpreter_is_recorded_with_the_consent(personas, web):
    Person.objects.filter(pk=personas.survivor.pk).update(
        preferred_languages=["vie"], interpreter_needed="yes"
    )
    response = web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/new/",
        form_data(
            personas,
            language="vie",
            form_language="en",
            interpretation="interpreted",
            interpreter_mode="in_person",
            interpreter_language="vie",
            interpreter_provider=f"agency:{personas.housing.pk}",
        ),
    )
    assert response.status_code == 302
    c = Consent.objects.get()
    assert c.interpreter_used is True
    assert c.interpreter_provider_kind == "agency"
    assert c.interpreter_provider_name == personas.housing.name
    event = AuditEvent.objects.get(action="consent.create")
    assert event.detail["interpretation"] == "interpreted"
    assert event.detail["interpreter_language"] == "vie"


def test_the_person_declining_an_interpreter_is_an_answer(personas, web):
    Person.objects.filter(pk=personas.survivor.pk).update(
        preferred_languages=["vie"], interpreter_needed="yes"
    )
    web(personas.navigator_a).post(
        f"/consent/person/{personas.survivor.pk}/new/",
        form_data(personas, language="vie", form_language="en", interpretation="declined"),
    )
    c = Consent.objects.get()
    assert (c.interpretation, c.interpreter_used) == ("declined", False)
