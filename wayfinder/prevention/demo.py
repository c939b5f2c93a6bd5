"""Demo: three courses (two SOAR levels and the network's own), past sessions with attendance and
knowledge checks, coming sessions (one full, with a waitlist), and two campaigns, one in Spanish,
with outreach events, materials and short codes that have led people to the help page.

Every trainee is invented; their e-mail addresses are on the reserved example.org domain.
"""

from __future__ import annotations

from datetime import timedelta

import segno
from django.core.files.base import ContentFile
from django.utils import timezone

from wayfinder.prevention import actions

RIGHT = ["not_always", "sex_and_labour", "no_force_needed", "red_flag", "n233733", "private"]
WRONG = ["yes_always", "sex_only", "force_needed", "normal", "n411", "confront"]
ITEMS = ["k_movement", "k_forms", "k_minor", "k_documents", "k_hotline", "k_approach"]
TRAINEES = [
    ("Maya Brooks", "health_care"),
    ("Luis Ortega", "health_care"),
    ("Grace Kim", "behavioral_health"),
    ("Omar Haddad", "social_services"),
    ("Rosa Delgado", "public_health"),
    ("Tom Becker", "education"),
    ("Aisha Bello", "faith_community"),
    ("Jon Park", "law_enforcement"),
    ("Nina Volkova", "business"),
    ("Carmen Ruiz", "youth"),
]


def _answers(n_right: int) -> dict:
    return {item: (RIGHT if i < n_right else WRONG)[i] for i, item in enumerate(ITEMS)}


def _trainees(session, start: int, count: int):
    regs = []
    for n in range(start, start + count):
        name, sector = TRAINEES[n % len(TRAINEES)]
        regs.append(
            actions.register(
                session,
                name=name,
                email=f"{name.split()[0].lower()}.{session.pk.hex[:4]}@example.org",
                organisation="Demo Community Clinic" if n % 2 else "Lakeview District 41",
                sector=sector,
            )
        )
    return regs


def load(net) -> None:
    actor = net.actor("trainer", "lead")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    individuals = actions.create_course(
        actor=actor,
        title="SOAR to Health and Wellness: for individuals",
        level="soar_individuals",
        objectives=(
            "Stop: know what human trafficking is\n"
            "Observe: recognise the red flags\n"
            "Ask: screen with care and without judgement\n"
            "Respond: connect people to help"
        ),
        duration_minutes=120,
    )
    organizations = actions.create_course(
        actor=actor,
        title="Building a SOAR response in your organization",
        level="soar_organizations",
        objectives="Write a response protocol\nTrain every shift\nBuild referral partnerships",
        duration_minutes=180,
    )
    employers = actions.create_course(
        actor=actor,
        title="Red flags at work: a course for employers",
        level="own",
        objectives="Spot debt bondage and document control\nKnow workers' rights\nCall the hotline",
        duration_minutes=60,
    )
    actions.add_material(
        actor=actor,
        course=individuals,
        title="SOAR pocket card",
        language="en",
        file=ContentFile(
            b"Stop. Observe. Ask. Respond. Hotline 1-888-373-7888, text 233733.\n",
            name="soar-pocket-card.txt",
        ),
    )

    # Past sessions: attendance and both knowledge checks.
    past = [
        (
            individuals,
            now - timedelta(days=75),
            "health_care",
            "en",
            12,
            8,
            [(2, 5), (3, 6), (1, 4), (4, 6), (2, 5), (3, 5)],
        ),
        (
            employers,
            now - timedelta(days=20),
            "business",
            "es",
            10,
            5,
            [(3, 5), (2, 6), (4, 6), (3, 4)],
        ),
    ]
    for course, starts, sector, language, capacity, count, scores in past:
        session = actions.create_session(
            actor=actor,
            course=course,
            starts_at=starts,
            sector=sector,
            language=language,
            capacity=capacity,
            place="Harbor Light Alliance, Training Room",
        )
        regs = _trainees(session, 0 if language == "en" else 3, count)
        present = regs[: len(scores)]
        actions.take_attendance(session, actor=actor, present_ids=[r.pk for r in present])
        for reg, (pre, post) in zip(present, scores, strict=True):
            actions.record_check(reg, actor=actor, phase="pre", answers=_answers(pre))
            actions.record_check(reg, actor=actor, phase="post", answers=_answers(post))
        present[0].refresh_from_db()
        actions.issue_certificate(present[0], actor=actor)

    # Coming sessions: one online with seats left, one full with a waitlist.
    online = actions.create_session(
        actor=actor,
        course=organizations,
        starts_at=now + timedelta(days=14, hours=2),
        sector="social_services",
        language="en",
        capacity=25,
        video_link="https://meet.example.org/soar-organizations",
    )
    _trainees(online, 4, 3)
    full = actions.create_session(
        actor=actor,
        course=individuals,
        starts_at=now + timedelta(days=30),
        sector="education",
        language="es",
        capacity=2,
        place="Lakeview Public Library, Room B",
    )
    _trainees(full, 5, 3)

    # Two campaigns, one in Spanish, with events, materials and codes.
    signs = actions.create_campaign(
        actor=actor,
        name="Know the signs: bus shelters",
        audiences=["runaway_homeless_youth", "foster_care_youth"],
        channels=["print", "social_media"],
        languages=["en"],
        starts_on=(now - timedelta(days=60)).date(),
    )
    trabajo = actions.create_campaign(
        actor=actor,
        name="Conozca sus derechos en el trabajo",
        audiences=["migrant_workers"],
        channels=["radio", "events"],
        languages=["es"],
        starts_on=(now - timedelta(days=45)).date(),
    )
    for campaign, code, language, title, alt in (
        (
            signs,
            "SIGNS",
            "en",
            "Bus shelter poster",
            "Poster: a young person at a bus stop, with the hotline number and a QR code",
        ),
        (
            trabajo,
            "TRABAJO",
            "es",
            "Cartel para centros de trabajo",
            "Cartel: un trabajador del campo, con el número de la línea de ayuda y un código QR",
        ),
    ):
        svg = segno.make(f"/h/{code}/", error="m").svg_inline(scale=4)
        material = actions.add_material(
            actor=actor,
            campaign=campaign,
            title=title,
            language=language,
            alt_text=alt,
            file=ContentFile(svg.encode(), name=f"{code.lower()}-poster.svg"),
        )
        link = actions.add_link_code(campaign, actor=actor, code=code, material=material)
        for days_ago, visits in ((12, 3), (5, 7), (1, 2)):
            for _ in range(visits):
                actions.count_help_visit(link, day=(now - timedelta(days=days_ago)).date())
    for campaign, days_ago, zip_code, audience, language, reached, handed in (
        (signs, 50, "60623", "runaway_homeless_youth", "en", 35, 120),
        (signs, 30, "60608", "foster_care_youth", "en", 18, 40),
        (trabajo, 40, "60629", "migrant_workers", "es", 60, 200),
        (trabajo, 10, "60632", "migrant_workers", "es", 45, 150),
    ):
        actions.record_outreach(
            campaign,
            actor=actor,
            date=(now - timedelta(days=days_ago)).date(),
            zip_code=zip_code,
            audience=audience,
            language=language,
            people_reached=reached,
            materials_count=handed,
        )
