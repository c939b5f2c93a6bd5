"""The README tour as a list of pages per demo log-in, on the real demo network.

Used by the Spanish-everywhere test (Django test client) and by the phone-width and axe browser
checks, so that "every page of the tour" means the same pages everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from wayfinder.core.demo import DemoNetwork, load_demo


@dataclass
class Tour:
    net: DemoNetwork
    pages: dict[str, list[str]]  # demo user key -> paths, in tour order
    anonymous: list[str]


def load_tour() -> Tour:
    from wayfinder.assessments.models import Session
    from wayfinder.consent.models import Consent
    from wayfinder.directory.models import Service
    from wayfinder.prevention.models import TrainingSession
    from wayfinder.referrals.models import Referral

    net = load_demo()
    lucia = net.persons[0]
    p = f"{lucia.pk}"
    session = Session.objects.filter(person=lucia, status="completed").first()
    consent = Consent.objects.filter(person=lucia).order_by("created_at").first()
    to_legal = Referral.objects.filter(person=lucia, recipient_agency=net.agencies["legal"]).first()
    legal_service = Service.objects.filter(
        organization_id=net.agencies["legal"].directory_organization_id
    ).first()
    any_service = Service.objects.order_by("name")[0]  # the demo has services

    everyone = ["/accounts/me/", "/settings/tokens/"]
    navigator = [
        "/",
        "/people/",
        "/people/new/",
        f"/people/{p}/",
        f"/people/{p}/edit/",
        f"/assessments/person/{p}/",
        f"/assessments/person/{p}/start/",
        f"/assessments/person/{p}/needs/",
        f"/assessments/person/{p}/trajectory/",
        f"/consent/person/{p}/",
        f"/consent/person/{p}/new/",
        f"/matching/person/{p}/",
        f"/referrals/person/{p}/",
        "/referrals/sent/",
        f"/plans/person/{p}/",
        f"/plans/person/{p}/print/",
        f"/services/person/{p}/",
        "/directory/",
        f"/directory/services/{any_service.pk}/",
        *everyone,
    ]
    if session is not None:
        navigator.append(f"/assessments/session/{session.pk}/detail/")
    if consent is not None:
        navigator += [f"/consent/{consent.pk}/", f"/consent/{consent.pk}/print/"]
    if to_legal is not None:
        navigator.append(f"/referrals/{to_legal.pk}/")
    lawyer = ["/", "/referrals/", "/people/", f"/people/{p}/", f"/consent/person/{p}/", *everyone]
    if to_legal is not None:
        lawyer.append(f"/referrals/{to_legal.pk}/")
    if legal_service is not None:
        lawyer += [f"/directory/services/{legal_service.pk}/", "/directory/capacity/"]
    # --- conferences: the meeting, an item with the person's voice, the chair's pages ---
    from wayfinder.conferences.models import AgendaItem

    conf = net.extra.get("conferences")
    if conf:
        m = conf["meeting"]
        navigator += [
            "/conferences/",
            f"/conferences/m/{m}/",
            "/conferences/series/new/",
            f"/conferences/m/{m}/items/",
            f"/conferences/m/{m}/guests/",
        ]
        lawyer += ["/conferences/", f"/conferences/m/{m}/"]
        agenda_item = AgendaItem.objects.filter(meeting_id=m).first()
        if agenda_item is not None:
            navigator += [
                f"/conferences/i/{agenda_item.pk}/",
                f"/conferences/i/{agenda_item.pk}/voice/",
            ]
            lawyer.append(f"/conferences/i/{agenda_item.pk}/")
    pages = {
        "navigator": navigator,
        "lawyer": lawyer,
        "admin": [
            "/",
            "/accounts/staff/",
            "/accounts/staff/invite/",
            f"/people/{p}/history/",
            f"/people/{p}/forget/",
            *everyone,
        ],
        "supervisor": ["/", "/people/", *everyone],
        # (not the funder reports: their categories are the funder's own, in its language)
        "analyst": ["/", "/reports/", *everyone],
        "trainer": ["/", "/directory/", *prevention_pages()],
        "netadmin": ["/", "/accounts/agencies/", "/accounts/agencies/new/", "/directory/import/"],
        "outsider": ["/", "/people/"],
    }
    upcoming = TrainingSession.objects.order_by("-starts_at").first()
    anonymous = ["/accounts/login/", "/no-such-page/", "/help/", "/help/?zip=60623"]
    if upcoming is not None:
        anonymous.append(f"/training/{upcoming.pk}/")
    return Tour(net=net, pages=pages, anonymous=anonymous)


def prevention_pages() -> list[str]:
    """The trainer's tour (README): sessions, checks, a certificate, campaigns, reports."""
    from wayfinder.prevention.models import Campaign, Registration, TrainingSession

    pages = ["/prevention/", "/prevention/reports/"]
    past = TrainingSession.objects.order_by("starts_at").first()
    if past is not None:
        pages += [f"/prevention/sessions/{past.pk}/", f"/prevention/courses/{past.course_id}/"]
    done = Registration.objects.exclude(certificate_number="").first()
    if done is not None:
        pages += [
            f"/prevention/registrations/{done.pk}/check/post/",
            f"/prevention/registrations/{done.pk}/certificate/print/",
        ]
    pages += [f"/prevention/campaigns/{c.pk}/" for c in Campaign.objects.order_by("name")]
    return pages
