"""Tokens are stored only as a SHA-256 fingerprint: the raw value is nowhere in the database."""

from django.db import connections

from wayfinder.accounts.actions import create_api_token
from wayfinder.accounts.models import ApiToken, hash_token
from wayfinder.audit.models import AuditEvent


def _database_text() -> str:
    with connections["default"].cursor() as cur:
        cur.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608 - a model's table name
        tokens = cur.fetchall()
        cur.execute("SELECT * FROM audit_auditevent")
        events = cur.fetchall()
    return repr(tokens) + repr(events)


def test_raw_token_is_not_stored_only_its_hash(personas):
    actor = personas.actor(personas.navigator_a)
    token, raw = create_api_token(actor=actor, agency=personas.lead, name="Nightly export")

    assert raw.startswith("wf_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(raw) != raw
    assert stored.prefix == raw[:12]
    text = _database_text()
    assert raw not in text
    assert raw[12:] not in text  # not even the part after the prefix


def test_each_token_is_unique_and_creation_is_audited(personas):
    actor = personas.actor(personas.navigator_a)
    first, raw1 = create_api_token(actor=actor, agency=personas.lead, name="one")
    second, raw2 = create_api_token(actor=actor, agency=personas.lead, name="two")

    assert raw1 != raw2 and first.token_hash != second.token_hash
    events = AuditEvent.objects.filter(action="api_token.create").order_by("seq")
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk)]
    assert events[0].category == "api"
    assert events[0].actor_id == personas.navigator_a.pk
    assert events[0].agency_id == personas.lead.pk
    assert events[0].detail == {"prefix": first.prefix, "expires": None}
