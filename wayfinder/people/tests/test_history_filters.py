"""Access history in plain words, filtered by who, what and when, 50 rows a page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wayfinder.audit.events import record
from wayfinder.people.display import ACTION_LABELS, action_label


def _history(client, person, **params):
    return client.get(reverse("person_history", args=[person.pk]), params)


def test_every_action_reads_in_plain_words_and_never_as_a_code(personas, login):
    login(personas.navigator_a).get(reverse("person_detail", args=[personas.survivor.pk]))
    login(personas.navigator_a).get(reverse("assessments:person", args=[personas.survivor.pk]))
    text = _history(login(personas.admin_a), personas.survivor).content.decode()
    assert "Opened the record" in text and "Took the person in" in text
    for code in ("person.view", "person.create"):
        assert f">{code}<" not in text and f"{code}</td>" not in text
    assert action_label("assessment.view") == "Viewed an assessment"
    assert action_label("made.up") == "Other action (made.up)"
    assert all("." not in str(label) for label in ACTION_LABELS.values())


def test_filter_by_who_what_and_when(personas, login):
    nav = personas.navigator_a
    login(nav).get(reverse("person_detail", args=[personas.survivor.pk]))
    admin = login(personas.admin_a)
    admin.get(reverse("person_detail", args=[personas.survivor.pk]))

    by_nav = _history(admin, personas.survivor, who=nav.pk)
    assert {r.event.actor_id for r in by_nav.context["rows"]} == {nav.pk}

    opened = _history(admin, personas.survivor, what="person.view")
    assert {r.event.action for r in opened.context["rows"]} == {"person.view"}
    assert len(opened.context["rows"]) == 2

    today = timezone.localdate()
    assert _history(admin, personas.survivor, since=today.isoformat()).context["rows"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    later = _history(admin, personas.survivor, since=tomorrow)
    assert (
        later.context["rows"] == [] and "Nothing matches these filters." in later.content.decode()
    )

    backwards = _history(admin, personas.survivor, since=tomorrow, until=today.isoformat())
    assert backwards.status_code == 200
    assert "The start date is after the end date." in backwards.content.decode()
    # Nonsense in the query string is a form error, never a 500.
    assert _history(admin, personas.survivor, who="x", since="soon").status_code == 200


def test_fifty_rows_a_page_and_the_filters_follow_the_pages(personas, login):
    actor = personas.actor(personas.navigator_a)
    for _ in range(60):
        record("person.view", category="people", actor=actor, person=personas.survivor)
    admin = login(personas.admin_a)
    first = _history(admin, personas.survivor, what="person.view")
    assert len(first.context["rows"]) == 50 and first.context["page_obj"].has_next()
    assert "what=person.view&amp;page=2" in first.content.decode()
    second = _history(admin, personas.survivor, what="person.view", page=2)
    assert len(second.context["rows"]) == 10
