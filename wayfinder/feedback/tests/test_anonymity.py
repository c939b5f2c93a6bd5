"""Anonymous by construction: nothing stored with a response can be joined to a person."""

import inspect

import pytest
from django.db import models

from wayfinder.accounts.models import Agency
from wayfinder.audit.models import AuditEvent
from wayfinder.core.errors import CodedError
from wayfinder.feedback import actions
from wayfinder.feedback.models import Comment, Invitation, Response, WayfinderFeedback

ANONYMOUS_MODELS = [Response, Comment, Invitation, WayfinderFeedback]
FORBIDDEN_WORDS = ("person", "user", "session", "token", "invitation", "ip", "actor", "staff")


@pytest.mark.parametrize("model", ANONYMOUS_MODELS, ids=lambda m: m.__name__)
def test_no_column_or_relation_can_point_at_a_person(model):
    for field in model._meta.get_fields():
        if field.is_relation:
            # The only relation anywhere: the agency (a response names the service's agency).
            assert field.related_model is Agency, f"{model.__name__}.{field.name} links out"
            assert field.name == "agency"
            continue
        if model is Invitation and field.name == "token_hash":
            continue  # the code's own keyed hash; no response refers to it
        lowered = field.name.lower()
        assert not any(w in lowered.split("_") for w in FORBIDDEN_WORDS), field.name
        # Time stamps are days: no time of day anywhere.
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name


def test_response_has_no_link_back_to_its_invitation():
    assert not [f for f in Invitation._meta.get_fields() if f.is_relation and f.name != "agency"]
    assert {f.name for f in Response._meta.get_fields()} == {
        "id",
        "agency",
        "service_category",
        "answered_on",
        "instrument_id",
        "instrument_version",
        "answers",
    }


def test_minting_takes_no_person():
    for fn in (actions.mint_invitation, actions.mint_cards):
        params = set(inspect.signature(fn).parameters)
        assert not params & {"person", "person_id", "user", "session"}, fn.__name__


def test_saved_response_holds_only_agency_category_day_and_answers(personas):
    code = actions.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="portal"
    )
    actions.submit_response(code, {"felt_safe": "4", "would_recommend": "yes"}, "Kind people.")
    row = Response.objects.get()
    assert row.agency == personas.lead and row.service_category == "case_management"
    assert type(row.answered_on).__name__ == "date"
    assert row.answers == {"felt_safe": 4, "would_recommend": "yes"}
    stored = repr(list(Response.objects.values())) + repr(list(Comment.objects.values()))
    assert code not in stored and actions.hash_code(code) not in stored
    assert str(Invitation.objects.get().pk) not in stored
    # The audit event of the answer names no agency, user, address or object.
    event = AuditEvent.objects.get(action="feedback.response.create")
    assert (event.actor_id, event.agency_id, event.object_id, event.ip) == (None, None, "", None)
    assert event.person_pseudonym == "" and event.detail == {}


def test_a_code_works_once(personas, client):
    code = actions.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="card"
    )
    assert client.get(f"/f/{code}/").status_code == 200
    actions.submit_response(code, {"felt_safe": "3"})
    with pytest.raises(CodedError) as exc:
        actions.submit_response(code, {"felt_safe": "1"})
    assert exc.value.code == "feedback_code_unknown"
    assert Response.objects.count() == 1
    assert client.get(f"/f/{code}/").status_code == 404
    resp = client.post(f"/f/{code}/", {"felt_safe": "1"})
    assert resp.status_code == 404 and Response.objects.count() == 1


def test_only_the_hash_of_a_code_is_stored(personas):
    code = actions.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="card"
    )
    inv = Invitation.objects.get()
    assert code not in repr(list(Invitation.objects.values()))
    assert inv.token_hash == actions.hash_code(code)
    # What a person types is forgiving: lower case, dashes, O for 0, I or L for 1.
    typed = actions.display_code(code).lower().replace("0", "o").replace("1", "l")
    assert actions.usable_invitation(typed) == inv


def test_expired_code_does_not_work(personas):
    from datetime import timedelta

    from django.utils import timezone

    code = actions.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="card"
    )
    Invitation.objects.update(expires_on=timezone.localdate() - timedelta(days=1))
    assert actions.usable_invitation(code) is None
