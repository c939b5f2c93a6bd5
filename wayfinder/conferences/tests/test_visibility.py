"""Consent decides what each attendee sees of an agenda item."""

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.conferences import actions
from wayfinder.consent.actions import revoke_consent

pytestmark = pytest.mark.django_db


def test_consented_attendee_sees_exactly_the_consented_categories(item, personas, conf_consent):
    c = conf_consent(("identity", "plan"))
    view = actions.open_item(item, actor=personas.actor(personas.lawyer_b))
    assert not view.restricted
    assert view.categories == {"identity", "plan"}
    assert view.consent_ids == [str(c.pk)]


def test_care_coordination_consent_does_not_open_the_item(item, personas, share_with_lawyer):
    share_with_lawyer(["identity", "plan"])
    view = actions.open_item(item, actor=personas.actor(personas.lawyer_b))
    assert view.restricted and view.categories == frozenset()


def test_unconsented_attendee_sees_restricted(item, personas, conf_consent):
    conf_consent(("identity",))  # for legal aid, not housing
    view = actions.open_item(item, actor=personas.actor(personas.outsider_c))
    assert view.restricted
    assert view.pseudonym == personas.survivor.pseudonym
    assert actions.minutes_for(view) is None


def test_excluded_category_is_hidden_from_everyone(item, personas, nav, conf_consent):
    conf_consent(("identity", "plan"))
    actions.set_exclusions(item, actor=nav, categories=["plan"])
    lawyer = actions.open_item(item, actor=personas.actor(personas.lawyer_b))
    owner = actions.open_item(item, actor=nav)
    assert lawyer.categories == {"identity"}
    assert "plan" not in owner.categories


def test_revocation_hides_the_item_on_the_next_read(item, personas, nav, conf_consent):
    c = conf_consent(("identity",))
    lawyer = personas.actor(personas.lawyer_b)
    assert not actions.open_item(item, actor=lawyer).restricted
    revoke_consent(c, actor=nav, channel="in_person")
    assert actions.open_item(item, actor=lawyer).restricted


def test_each_opening_is_audited_naming_the_consent(item, personas, conf_consent):
    c = conf_consent(("identity",))
    lawyer = personas.actor(personas.lawyer_b)
    actions.open_item(item, actor=lawyer)
    actions.open_item(item, actor=lawyer)
    events = AuditEvent.objects.filter(action="conference.item_open", actor_id=personas.lawyer_b.pk)
    assert events.count() == 2
    assert all(e.detail["consents"] == [str(c.pk)] for e in events)
    assert all(e.detail["basis"] == "consent" for e in events)


def test_a_non_attendee_cannot_open_the_item(item, personas):
    from django.http import Http404

    from wayfinder.accounts.models import Role
    from wayfinder.core.testing import staff

    stranger = staff(personas.legal, "stranger@example.org", Role.PROVIDER)
    with pytest.raises(Http404):
        actions.open_item(item, actor=personas.actor(stranger))
