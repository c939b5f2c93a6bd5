"""Referral pages: inbox with one-click accept or decline, the referral page, making a referral,
the person's referrals, the packet; the outsider gets 404 on every one of them."""

from django.urls import reverse

from wayfinder.consent.actions import revoke_consent
from wayfinder.referrals import actions
from wayfinder.referrals.models import Referral, Status
from wayfinder.referrals.panels import inbox_panel, person_panel
from wayfinder.referrals.tests.factories import listing


def _urls(referral, person_id):
    return [
        ("get", reverse("referral_detail", args=[referral.pk])),
        ("get", reverse("referral_packet", args=[referral.pk])),
        ("get", reverse("referral_person", args=[person_id])),
        ("get", reverse("referral_create", args=[person_id])),
        ("get", reverse("referral_create", args=[person_id, referral.service_id])),
        ("post", reverse("referral_act", args=[referral.pk, "accept"])),
        ("post", reverse("referral_act", args=[referral.pk, "cancel"])),
        ("post", reverse("referral_update", args=[referral.pk])),
        ("post", reverse("referral_packet_email", args=[referral.pk])),
    ]


def test_outsider_gets_404_on_every_referral_page(personas, login, referral):
    client = login(personas.outsider_c)
    for method, url in _urls(referral, personas.survivor.pk):
        response = getattr(client, method)(url, {"version": 1, "reason": "other", "note": "x"})
        assert response.status_code == 404, url
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_analyst_sees_no_referral_page(personas, login, referral):
    client = login(personas.analyst)
    assert client.get(reverse("referral_inbox")).status_code == 404
    assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == 404


def test_inbox_lists_the_referral_without_names_and_accepts_in_one_click(
    personas, login, referral, django_assert_max_num_queries
):
    client = login(personas.lawyer_b)
    with django_assert_max_num_queries(9):  # was 20; 11 before the tabs counted the inbox
        response = client.get(reverse("referral_inbox"))
    text = response.content.decode()
    assert response.status_code == 200
    assert referral.reference in text and referral.person.pseudonym in text
    assert "Ana" not in text and "Civil Legal Aid" in text
    response = client.post(
        reverse("referral_act", args=[referral.pk, "accept"]),
        {"version": referral.version, "next": reverse("referral_inbox")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("referral_inbox")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    # A second click on the stale button: a conflict, said plainly, nothing changes.
    response = client.post(
        reverse("referral_act", args=[referral.pk, "accept"]), {"version": 1}, follow=True
    )
    assert "Someone else changed this referral" in response.content.decode()


def test_decline_asks_for_a_reason(personas, login, referral):
    client = login(personas.lawyer_b)
    url = reverse("referral_act", args=[referral.pk, "reject"])
    response = client.post(url, {"version": 1}, follow=True)
    assert "Choose a reason." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED
    client.post(url, {"version": 1, "reason": "no_capacity"})
    referral.refresh_from_db()
    assert referral.status == Status.REJECTED and referral.reason == "no_capacity"


def test_the_partner_page_shows_only_the_consented_data(personas, login, referral):
    response = login(personas.lawyer_b).get(reverse("referral_detail", args=[referral.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ana María Rivera López" in text and "Do not contact the person directly" in text
    for hidden in ("+1 555 0100", "60601", "Wage theft", "woman attorney", "Nightmares", "Drinks"):
        assert hidden not in text
    assert (
        "<title>Referral " + referral.reference in text and "Ana" not in text.split("</title>")[0]
    )
    referral.refresh_from_db()
    assert referral.first_opened_at is not None


def test_after_withdrawal_the_partner_page_says_access_ended(
    personas, login, referral, nav, legal_consent
):
    client = login(personas.lawyer_b)
    revoke_consent(legal_consent, actor=nav, channel="in_person")
    response = client.get(reverse("referral_detail", args=[referral.pk]))
    assert response.status_code == 410
    assert "Ana" not in response.content.decode()
    inbox = client.get(reverse("referral_inbox")).content.decode()
    assert referral.reference not in inbox


def test_the_navigator_sees_what_is_shared_and_the_timeline(personas, login, referral, lawyer):
    actions.reject_referral(referral, actor=lawyer, reason="no_capacity", note="Full until May")
    response = login(personas.navigator_a).get(reverse("referral_detail", args=[referral.pk]))
    text = response.content.decode()
    assert "Identity (names, date of birth, ID numbers), Legal" in text
    assert "No capacity, or the waitlist is closed" in text and "Full until May" in text
    assert "Declined" in text


def test_create_page_shows_what_will_be_shared_and_sends(
    personas, login, legal_service, legal_consent, needs
):
    client = login(personas.navigator_a)
    url = reverse(
        "referral_create", args=[personas.survivor.pk, legal_service.pk, needs["legal"].pk]
    )
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "What will be shared" in text and "Identity (names, date of birth, ID numbers)" in text
    assert "Not shared:" in text and "Substance use treatment (42 CFR Part 2)" in text
    response = client.post(
        url,
        {"need": str(needs["legal"].pk), "service_category": "legal_civil", "priority": "urgent",
         "note": "", "send": "1"},
    )  # fmt: skip
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[referral.pk])
    assert referral.status == Status.REQUESTED and referral.need_id == needs["legal"].pk


def test_create_page_without_consent_links_to_recording_it(personas, login, legal_service):
    client = login(personas.navigator_a)
    url = reverse("referral_create", args=[personas.survivor.pk, legal_service.pk])
    text = client.get(url).content.decode()
    assert 'id="no-consent"' in text
    assert reverse("consent:create", args=[personas.survivor.pk]) in text
    assert "Send the referral" not in text
    response = client.post(
        url, {"service_category": "legal_civil", "priority": "routine", "send": "1"}
    )
    assert "has not agreed to share anything" in response.content.decode()
    client.post(url, {"service_category": "legal_civil", "priority": "routine", "draft": "1"})
    assert Referral.objects.get().status == Status.DRAFT


def test_every_form_of_the_matching_link_reaches_the_create_page(
    personas, login, legal_service, needs
):
    client = login(personas.navigator_a)
    person, service, need = personas.survivor.pk, legal_service.pk, needs["legal"].pk
    for url in (
        reverse("referral_create", args=[person, service, need]),
        reverse("referral_create", args=[person, service]),
        reverse("referral_create") + f"?person={person}&service={service}&need={need}",
    ):
        text = client.get(url).content.decode()
        assert "Civil Legal Aid" in text and "What will be shared" in text, url
    chooser = client.get(reverse("referral_create", args=[person]), {"q": "civil"}).content.decode()
    assert reverse("referral_create", args=[person, service]) in chooser


def test_packet_for_an_organisation_not_on_wayfinder(
    personas, login, nav, mailoutbox, django_capture_on_commit_callbacks
):
    pantry = listing("org-pantry", "Pilsen Pantry", ["basic_needs"], email="hello@pantry.example")
    referral = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=pantry), actor=nav
    )
    client = login(personas.navigator_a)
    page = client.get(reverse("referral_packet", args=[referral.pk])).content.decode()
    assert referral.person.pseudonym in page and "Ana" not in page  # no consent names it
    assert "No personal information is included" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("referral_packet_email", args=[referral.pk]), {"email": "hello@pantry.example"}
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["hello@pantry.example"] and referral.reference in message.body
    assert "Ana" not in message.body and referral.person.pseudonym not in message.body


def test_panels(personas, rf, referral):
    from wayfinder.access.gate import get_access

    request = rf.get("/")
    request.actor = personas.actor(personas.lawyer_b)
    assert inbox_panel(request)["context"]["counts"]["new"] == 1
    request.actor = personas.actor(personas.navigator_a)
    panel = person_panel(request, get_access(request.actor, personas.survivor.pk))
    assert [r.pk for r in panel["context"]["rows"]] == [referral.pk]
    assert panel["context"]["can_refer"] is True
    request.actor = personas.actor(personas.analyst)
    assert inbox_panel(request) is None


def test_person_referrals_page_and_notifications(personas, login, referral, lawyer):
    actions.accept_referral(referral, actor=lawyer)
    client = login(personas.navigator_a)
    text = client.get(reverse("referral_person", args=[personas.survivor.pk])).content.decode()
    assert referral.reference in text and "Accepted" in text
    notes = client.get(reverse("referral_notifications")).content.decode()
    assert "A referral changed status" in notes and "Unread" in notes
    client.post(reverse("referral_notifications_read"))
    assert "Unread" not in client.get(reverse("referral_notifications")).content.decode()


def test_pages_are_in_spanish(personas, login, referral):
    client = login(personas.lawyer_b)
    client.cookies["django_language"] = "es"
    text = client.get(reverse("referral_inbox")).content.decode()
    assert "Derivaciones recibidas" in text and "Enviada, esperando respuesta" in text
    text = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "No contacte directamente a la persona" in text and "Aceptar" in text


def test_person_page_and_dashboard_show_the_referral_panels(personas, login, referral):
    client = login(personas.navigator_a)
    text = client.get(reverse("person_detail", args=[personas.survivor.pk])).content.decode()
    assert referral.reference in text
    assert reverse("referral_create", args=[personas.survivor.pk]) in text
    partner = login(personas.lawyer_b)
    text = partner.get(reverse("dashboard")).content.decode()
    assert "new, waiting for your reply" in text and reverse("referral_inbox") in text
    assert 'href="/referrals/"' in text  # the main navigation


def test_the_inbox_tabs_count_what_the_dashboard_counts(personas, referral, lawyer, monkeypatch):
    """The inbox's section counts are the dashboard's; past ``INBOX_ONE_READ`` open referrals they
    are counted per section by the same rule, up to a cap."""
    from datetime import timedelta

    from django.utils import timezone

    from wayfinder.referrals import queries

    second = Referral.objects.get(pk=referral.pk)
    second.pk, second.reference = None, "REF-OVERDUE"
    second.sent_at = second.last_activity_at = timezone.now() - timedelta(days=30)
    second.save()
    box = queries.inbox(lawyer)
    assert box.complete and (len(box.new), len(box.overdue)) == (1, 1)
    wanted = queries.counts(lawyer)
    assert queries.inbox_counts(lawyer, box) == {
        **{k: wanted[k] for k in ("new", "overdue", "active", "unread")},
        "waiting_more": False,
    }
    monkeypatch.setattr(queries, "INBOX_ONE_READ", 1)  # the per-section reads and capped counts
    box = queries.inbox(lawyer)
    assert queries.inbox_counts(lawyer, box)["new"] == wanted["new"]
    assert queries.inbox_counts(lawyer, box)["overdue"] == wanted["overdue"]
    monkeypatch.setattr(queries, "SECTION_COUNT_CAP", 0)
    box = queries.inbox(lawyer)
    assert queries.inbox_counts(lawyer, box)["waiting_more"] is True


def test_the_inbox_tab_shows_a_capped_count_honestly(
    personas, referral, lawyer, login, monkeypatch
):
    """Past the cap the tab's badge reads "N+" (here with the list and the cap at 1), on the
    inbox and on the sent tab alike; the sent tab counts what was received, not what was sent."""
    from datetime import timedelta

    from django.utils import timezone

    from wayfinder.referrals import queries

    second = Referral.objects.get(pk=referral.pk)
    second.pk, second.reference = None, "REF-OVERDUE"
    second.sent_at = second.last_activity_at = timezone.now() - timedelta(days=30)
    second.save()
    third = Referral.objects.get(pk=referral.pk)
    third.pk, third.reference = None, "REF-NEW-2"
    third.save()
    client = login(personas.lawyer_b)
    text = client.get(reverse("referral_inbox")).content.decode()
    assert '<span class="badge warn">3</span>' in text
    monkeypatch.setattr(queries, "INBOX_ONE_READ", 1)
    monkeypatch.setattr(queries, "SECTION_COUNT_CAP", 1)  # new: 2, counted as "1+"
    text = client.get(reverse("referral_inbox")).content.decode()
    assert '<span class="badge warn">2+</span>' in text
    # The referring agency's sent tab: its referral waits for a reply, nothing was received.
    text = login(personas.navigator_a).get(reverse("referral_sent")).content.decode()
    assert '<span class="badge warn">' not in text.split("Sent by my agency")[0]


def test_the_dashboard_counts_leave_out_forgotten_persons(personas, referral, lawyer, nav):
    from django.utils import timezone

    from wayfinder.people.models import Person
    from wayfinder.referrals import queries

    assert queries.counts(lawyer)["new"] == 1 and queries.counts(nav)["waiting"] == 1
    Person.objects.filter(pk=referral.person_id).update(forgotten_at=timezone.now())
    received, sent = queries.counts(lawyer), queries.counts(nav)
    assert (received["new"], received["overdue"], received["active"]) == (0, 0, 0)
    assert sent["waiting"] == 0 and not any(sent["capped"].values())


def test_the_dashboard_counts_stop_at_the_cap_and_say_so(
    client, personas, referral, nav, monkeypatch
):
    """Past ``SECTION_COUNT_CAP`` a figure reads "More than N", as the dashboard's other figures
    do, and the counts are read in one statement, however many referrals there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wayfinder.referrals import queries

    second = Referral.objects.get(pk=referral.pk)
    second.pk, second.reference = None, "REF-SECOND"
    second.save()
    assert queries.counts(nav)["waiting"] == 2
    monkeypatch.setattr(queries, "SECTION_COUNT_CAP", 1)
    with CaptureQueriesContext(connection) as read:
        numbers = queries.counts(nav)
    assert len(read) == 1
    assert numbers["waiting"] == 1 and numbers["capped"]["waiting"]
    assert not numbers["capped"]["new"] and not numbers["waiting_more"]
    client.force_login(nav.user)
    page = client.get("/").content.decode()
    assert (
        '<span class="stat-number">More than 1</span> <span class="stat-label">sent, waiting'
        in page
    )
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<span class="stat-number">Más de 1</span>' in page
