"""Agency admins: the person's access history, and "forget" with the typed record code."""

from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.core import crypto


def test_history_lists_who_did_what_including_list_views(personas, login):
    login(personas.navigator_a).get(reverse("person_list"))
    login(personas.navigator_a).get(reverse("person_detail", args=[personas.survivor.pk]))
    response = login(personas.admin_a).get(reverse("person_history", args=[personas.survivor.pk]))
    assert response.status_code == 200
    actions = [row.event.action for row in response.context["rows"]]
    assert actions == ["person.view", "person.list", "person.create"]
    text = response.content.decode()
    assert "Opened the record" in text and "Saw the name in a list" in text
    assert "Navi Gator" in text and "Harbor Light Alliance" in text
    assert "Identity (names, date of birth, ID numbers)" in text
    assert "Ana Rivera" not in text


def test_history_is_404_for_everyone_but_the_owning_agencys_admins(personas, login):
    url = reverse("person_history", args=[personas.survivor.pk])
    for user in (personas.navigator_a, personas.outsider_c, personas.analyst, personas.lawyer_b):
        assert login(user).get(url).status_code == 404


def test_forget_needs_the_exact_record_code(personas, login):
    client = login(personas.admin_a)
    url = reverse("person_forget", args=[personas.survivor.pk])
    page = client.get(url).content.decode()
    assert "This cannot be undone." in page and personas.survivor.pseudonym in page
    response = client.post(url, {"code": "WF-0000-00"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Type the record code exactly to confirm."]
    personas.survivor.refresh_from_db()
    assert not personas.survivor.is_forgotten
    response = client.post(url, {"code": personas.survivor.pseudonym})
    assert response.status_code == 302 and response["Location"] == reverse("person_list")
    personas.survivor.refresh_from_db()
    assert personas.survivor.is_forgotten
    assert crypto.data_keys([personas.survivor.pk]) == {}
    assert AuditEvent.objects.filter(action="person.forget", actor_id=personas.admin_a.pk).exists()
    assert client.get(reverse("person_detail", args=[personas.survivor.pk])).status_code == 404


def test_forget_is_404_for_a_navigator_even_with_the_code(personas, login):
    url = reverse("person_forget", args=[personas.survivor.pk])
    response = login(personas.navigator_a).post(url, {"code": personas.survivor.pseudonym})
    assert response.status_code == 404
    personas.survivor.refresh_from_db()
    assert not personas.survivor.is_forgotten
