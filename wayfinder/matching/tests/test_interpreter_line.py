"""The plain line under each match: staff speak the person's language, or an interpreter will be
needed (issue 17, item 4). Display only: the ranking's scores are not touched."""

from wayfinder.matching.ranking import Reason
from wayfinder.matching.reasons import language_line
from wayfinder.matching.tests.factories import add_service
from wayfinder.people.models import Person


def test_the_line_follows_the_language_reason():
    def line(code):
        return language_line(
            [Reason("distance", "distance", None, 2.0), Reason(code, "language", None, "vie")]
        )

    assert line("speaks") == "Staff speak Vietnamese"
    assert line("interpreter") == (
        "An interpreter will be needed (Vietnamese) — the service offers interpretation"
    )
    assert line("no_interpreter") == (
        "An interpreter will be needed (Vietnamese); this service lists none"
    )
    assert language_line([Reason("distance", "distance", None, 2.0)]) == ""


def test_the_find_page_shows_the_line(personas, login, housing_need):
    Person.objects.filter(pk=personas.survivor.pk).update(preferred_languages=["vie"])
    add_service("Nha Viet", ["housing"], zip="60601", langs=["vie"], cap=(True, 1, 0, 1))
    add_service(
        "Open Doors",
        ["housing"],
        zip="60601",
        langs=["eng"],
        feats={"interpreter_available": True},
        cap=(True, 1, 0, 1),
    )
    add_service("Plain Rooms", ["housing"], zip="60601", langs=["eng"], cap=(True, 1, 0, 1))
    html = login(personas.navigator_a).get(f"/matching/person/{personas.survivor.pk}/")
    html = html.content.decode()
    assert '<p class="language-line">Staff speak Vietnamese</p>' in html
    assert "An interpreter will be needed (Vietnamese) — the service offers interpretation" in html
    assert "An interpreter will be needed (Vietnamese); this service lists none" in html
