"""Small helpers shared by the people view tests."""

from django.urls import reverse

# Every identifying value of the ``survivor`` persona (see wayfinder.core.testing).
SURVIVOR_IDENTIFIERS = ("Ana Rivera", "Rivera", "Ana María", "1996-04-12", "555 0100", "60601")


def person_urls(person, member=None) -> dict[str, tuple[str, str]]:
    """{name: (method, url)} for every page and fragment about one person."""
    urls = {
        "detail": ("get", reverse("person_detail", args=[person.pk])),
        "edit": ("get", reverse("person_edit", args=[person.pk])),
        "edit_post": ("post", reverse("person_edit", args=[person.pk])),
        "history": ("get", reverse("person_history", args=[person.pk])),
        "forget": ("get", reverse("person_forget", args=[person.pk])),
        "forget_post": ("post", reverse("person_forget", args=[person.pk])),
        "team_add_form": ("get", reverse("care_team_add", args=[person.pk])),
        "team_add": ("post", reverse("care_team_add", args=[person.pk])),
    }
    if member is not None:
        urls["team_remove"] = ("post", reverse("care_team_remove", args=[person.pk, member.pk]))
        urls["team_lead"] = ("post", reverse("care_team_lead", args=[person.pk, member.pk]))
    return urls


def assert_no_identifiers(content: bytes) -> None:
    text = content.decode()
    for value in SURVIVOR_IDENTIFIERS:
        assert value not in text, value
