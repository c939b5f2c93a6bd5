"""The plan the person takes home (issue 11, item 7): steps for any agency working with the
person, who to call with the directory's public number, and steps marked when they were written
in another language than the print."""

import pytest
from django.urls import reverse
from django.utils import translation

from wayfinder.core.errors import CodedError
from wayfinder.directory.models import Organization, Phone
from wayfinder.plans import actions
from wayfinder.plans.assignees import assignable_agency_ids
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.tests.factories import referral_consent


@pytest.fixture
def nav(personas):
    return personas.actor(personas.navigator_a)


@pytest.fixture
def goal(personas, nav):
    return actions.add_goal(
        personas.survivor, actor=nav, text="Quiero mi salario", domain="legal_immigration"
    )


def test_a_step_may_go_to_an_agency_with_an_open_referral_or_consent(personas, nav, goal):
    with pytest.raises(CodedError) as exc:
        actions.add_step(goal, actor=nav, text="Call", assignee="agency",
                         assigned_agency=personas.legal)  # fmt: skip
    assert exc.value.code == "assignee_not_on_team"
    referral_consent(personas, personas.legal, ["identity", "legal"])
    assert personas.legal.pk in assignable_agency_ids(personas.survivor)
    step = actions.add_step(goal, actor=nav, text="Call", assignee="agency",
                            assigned_agency=personas.legal)  # fmt: skip
    assert step.assigned_agency == personas.legal
    assert personas.housing.pk not in assignable_agency_ids(personas.survivor)


def test_an_open_referral_counts_too(personas, nav, goal):
    consent = referral_consent(personas, personas.housing, ["identity"])
    create_referral(
        personas.survivor,
        ReferralRequest(recipient_agency=personas.housing, service_category="housing"),
        actor=nav,
    )
    from wayfinder.consent.actions import revoke_consent

    revoke_consent(consent, actor=nav, channel="phone")  # the referral is on hold, still open
    assert personas.housing.pk in assignable_agency_ids(personas.survivor)


def test_each_step_records_its_language(personas, nav, goal):
    with translation.override("es"):
        spanish = actions.add_step(goal, actor=nav, text="Llamar", assignee="person")
    english = actions.add_step(goal, actor=nav, text="Bring the pay slips", assignee="person")
    given = actions.add_step(goal, actor=nav, text="Ligar", assignee="person", language="por")
    from wayfinder.people.sealing import unseal
    from wayfinder.plans.actions import STEP_PURPOSE

    langs = [unseal(personas.survivor, s.text_ct, STEP_PURPOSE)["language"]
             for s in (spanish, english, given)]  # fmt: skip
    assert langs == ["spa", "eng", "por"]


def test_the_spanish_print_lists_who_to_call_and_marks_other_languages(personas, nav, goal, client):
    org = Organization.objects.create(id="org-legal", name="Justice Bridge", description="x")
    Phone.objects.create(id="ph-1", organization=org, number="+1 312 555 0199")
    personas.legal.directory_organization_id = org.id
    personas.legal.save(update_fields=["directory_organization_id"])
    referral_consent(personas, personas.legal, ["identity", "legal"])
    actions.add_step(goal, actor=nav, text="Bring the pay slips", assignee="agency",
                     assigned_agency=personas.legal, language="eng")  # fmt: skip
    actions.add_step(goal, actor=nav, text="Llamar a la abogada", assignee="person",
                     language="spa")  # fmt: skip
    client.force_login(personas.navigator_a)
    response = client.get(reverse("plans:print", args=[personas.survivor.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="es"' in text
    who = text.split('id="who-to-call-list"')[1]
    assert personas.lead.name in who and "Justice Bridge Legal Aid" in who
    assert "+1 312 555 0199" in who
    assert text.count("step-language") == 1
    marked = text.split("Bring the pay slips")[1].split("</li>")[0]
    assert "step-language" in marked


def test_outsider_gets_404_on_the_print(personas, client):
    client.force_login(personas.outsider_c)
    response = client.get(reverse("plans:print", args=[personas.survivor.pk]))
    assert response.status_code == 404
