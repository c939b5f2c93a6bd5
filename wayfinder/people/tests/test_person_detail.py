"""The record page: through the gate, audited, language first, declined fields said kindly."""

from datetime import date

from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.core.categories import Category
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity


def _url(person):
    return reverse("person_detail", args=[person.pk])


def test_owner_sees_the_record_language_first(personas, login):
    response = login(personas.navigator_a).get(_url(personas.survivor))
    assert response.status_code == 200
    text = response.content.decode()
    top = text.split('class="person-summary')[1].split("</div>")[0]
    assert '<span class="language-badge">Spanish</span>' in top
    assert '<span class="language-badge">English</span>' in top
    for value in ("Ana Rivera", "Ana María Rivera López", "+1 555 0100", "60601", "Woman"):
        assert value in text
    assert "Labour trafficking" in text


def test_title_holds_the_pseudonym_only(personas, login):
    text = login(personas.navigator_a).get(_url(personas.survivor)).content.decode()
    title = text.split("<title>")[1].split("</title>")[0]
    assert title.startswith(personas.survivor.pseudonym)
    assert "Ana" not in title and "Rivera" not in title


def test_view_is_audited_with_categories(personas, login):
    login(personas.navigator_a).get(_url(personas.survivor))
    event = AuditEvent.objects.filter(action="person.view").latest("seq")
    assert event.person_pseudonym == personas.survivor.pseudonym
    assert event.actor_id == personas.navigator_a.pk
    assert event.categories == [
        "communication",
        "contact",
        "demographics",
        "identity",
        "trafficking",
    ]


def test_declined_fields_read_prefer_not_to_say(personas, login):
    person = create_person(
        actor=personas.actor(personas.navigator_a),
        identity=Identity(chosen_name="Quiet One", declined=["date_of_birth", "phone"]),
        gender_identity="declined",
        interpreter_needed="yes",
        declined=["preferred_languages", "exploitation_ended_on"],
    )
    text = login(personas.navigator_a).get(_url(person)).content.decode()
    facts = text.split('class="facts"')
    assert text.count("Prefer not to say") >= 6  # 5 facts + the language line at the top
    assert "Interpreter needed" in text
    dob = text.split("<dt>Date of birth</dt>")[1].split("</dd>")[0]
    assert "Prefer not to say" in dob
    legal = text.split("<dt>Legal name</dt>")[1].split("</dd>")[0]
    assert "Not recorded" in legal
    assert len(facts) == 6  # five sections


def test_admin_gets_history_and_forget_links_navigator_does_not(personas, login):
    history = reverse("person_history", args=[personas.survivor.pk])
    admin_text = login(personas.admin_a).get(_url(personas.survivor)).content.decode()
    assert history in admin_text and "Forget this person" in admin_text
    nav_text = login(personas.navigator_a).get(_url(personas.survivor)).content.decode()
    assert history not in nav_text and "Forget this person" not in nav_text


def test_outsider_gets_404(personas, login):
    assert login(personas.outsider_c).get(_url(personas.survivor)).status_code == 404
    assert not AuditEvent.objects.filter(action="person.view").exists()


def test_forgotten_person_is_404(personas, login):
    from wayfinder.people.actions import forget_person

    forget_person(
        personas.survivor,
        actor=personas.actor(personas.admin_a),
        confirmation=personas.survivor.pseudonym,
    )
    assert login(personas.admin_a).get(_url(personas.survivor)).status_code == 404


def test_date_of_birth_is_shown_as_a_date(personas, login):
    person = create_person(
        actor=personas.actor(personas.navigator_a),
        identity=Identity(chosen_name="Dated", date_of_birth=date(2001, 2, 3)),
    )
    text = login(personas.navigator_a).get(_url(person)).content.decode()
    assert "Feb. 3, 2001" in text


def categories_panel(request, access):
    """A test panel that shows which categories the viewer may see."""
    if not access.is_owner:
        return None
    return {"template": "people/_safety_badge.html", "context": {"level": "concerns"}}


def test_person_panels_of_other_apps_get_the_access(personas, login, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("interop")
    monkeypatch.setattr(config, "person_panels", [f"{__name__}.categories_panel"], raising=False)
    response = login(personas.navigator_a).get(_url(personas.survivor))
    assert categories_panel(None, response.context["access"]) in response.context["panels"]
    assert '<span class="badge warn">Some concerns</span>' in response.content.decode()


def _toc(text: str) -> list[tuple[str, str]]:
    import re

    nav = text.split('<nav class="page-toc"')[1].split("</nav>")[0]
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', nav)


def test_on_this_page_links_every_part_of_the_page(personas, login):
    text = login(personas.navigator_a).get(_url(personas.survivor)).content.decode()
    links = _toc(text)
    titles = [title for _anchor, title in links]
    for part in ("Assessments and needs", "Consent to share", "Referrals", "Plan"):
        assert part in titles, part
    assert titles[-1] == "Care team"
    # Each link lands on exactly one element of the page, and the panels come in the page's order.
    for anchor, _title in links:
        assert text.count(f'id="{anchor}"') == 1, anchor
    places = [text.index(f'id="{anchor}"') for anchor, _title in links]
    assert places == sorted(places)
    spanish = login(personas.navigator_a).get(_url(personas.survivor), HTTP_ACCEPT_LANGUAGE="es")
    assert "<summary>En esta página</summary>" in spanish.content.decode()


def test_a_partner_sees_links_to_what_it_is_shown_only(personas, login, share_with_lawyer):
    share_with_lawyer(["identity", "legal"])
    text = login(personas.lawyer_b).get(_url(personas.survivor)).content.decode()
    links = _toc(text)
    for anchor, _title in links:
        assert text.count(f'id="{anchor}"') == 1, anchor
    titles = [title for _anchor, title in links]
    assert str(Category.IDENTITY.label) in titles and "Care team" in titles
    assert str(Category.CONTACT.label) not in titles  # not shared with legal aid
    owner = _toc(login(personas.navigator_a).get(_url(personas.survivor)).content.decode())
    assert str(Category.CONTACT.label) in [title for _anchor, title in owner]
