"""Demo plans: goals in the survivors' own words (Spanish and English), steps (some late), notes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wayfinder.people.demo import SURVIVORS
from wayfinder.plans.actions import add_goal, add_note, add_step, set_step_status

# person index, domain, words, language, target in days,
# steps: (text, assignee, user key or agency key, due in days (negative = late), done)
PLANS = [
    (
        0,
        "housing",
        "Quiero un lugar seguro donde vivir con mi hija.",
        "spa",
        90,
        [
            ("Llenar la solicitud de vivienda con la navegadora", "person", None, -5, False),
            ("Visitar el apartamento de Safe Harbor Housing", "agency", "housing", 10, False),
        ],
    ),
    (
        0,
        "legal_immigration",
        "Quiero arreglar mis papeles para trabajar sin miedo.",
        "spa",
        180,
        [
            ("Primera cita con la abogada de Justice Bridge", "agency", "legal", -2, False),
        ],
    ),
    (
        1,
        "mental_health",
        "Dormir sin pesadillas y sentirme tranquila otra vez.",
        "spa",
        120,
        [
            ("Sesión semanal con Amara", "staff", "counselor", 3, False),
            ("Elegir un lugar tranquilo para las sesiones", "person", None, -20, True),
        ],
    ),
    (
        1,
        "substance_use",
        "I want to stay sober, one day at a time.",
        "eng",
        90,
        [
            ("Intake appointment at New Dawn Recovery", "agency", "sud", -3, False),
        ],
    ),
    (
        2,
        "income_employment",
        "Quiero aprender a manejar y tener un trabajo con pago justo.",
        "spa",
        150,
        [
            ("Inscribirse en el curso de Pathways", "agency", "vocational", -1, False),
            ("Sacar el permiso de aprendiz de manejo", "person", None, 30, False),
        ],
    ),
    (
        4,
        "housing",
        "I want my own apartment, with my name on the lease.",
        "eng",
        120,
        [
            ("Gather ID and income papers for the application", "person", None, -7, False),
        ],
    ),
    (
        4,
        "education_vocational",
        "Finish my GED before the summer.",
        "eng",
        200,
        [
            ("Sign up for the evening GED class", "staff", "navigator", 14, False),
        ],
    ),
    (
        10,
        "legal_immigration",
        "Quiero traer a mis hijos a vivir conmigo.",
        "spa",
        365,
        [
            ("Reunir las actas de nacimiento de los niños", "person", None, 21, False),
        ],
    ),
    (
        11,
        "safety",
        "I want to feel safe walking home at night.",
        "eng",
        60,
        [
            ("Make a safety plan together", "staff", "navigator2", -4, False),
        ],
    ),
]

# person index, index into PLANS (or None: the plan as a whole), author (user, agency), text, visibility
NOTES = [
    (
        0,
        0,
        ("navigator", "lead"),
        "Lucía trajo su identificación; falta el comprobante de ingresos.",
        "care_team",
    ),
    (
        1,
        2,
        ("counselor", "mental"),
        "Ana says the sessions help; she wants to keep the Tuesday slot.",
        "care_team",
    ),
    (
        2,
        None,
        ("navigator", "lead"),
        "Mateo prefers appointments after 4 pm because of his job.",
        "agency",
    ),
]


def load(net) -> None:
    today = timezone.localdate()
    goals = []
    for index, domain, words, language, target, steps in PLANS:
        person = net.persons[index]
        actor = net.actor(SURVIVORS[index][-1], "lead")
        goal = add_goal(
            person,
            actor=actor,
            text=words,
            language=language,
            domain=domain,
            target_date=today + timedelta(days=target),
        )
        goals.append(goal)
        for text, assignee, key, due, done in steps:
            step = add_step(
                goal,
                actor=actor,
                text=text,
                assignee=assignee,
                assigned_user=net.users[key] if assignee == "staff" else None,
                assigned_agency=net.agencies[key] if assignee == "agency" else None,
                due_on=today + timedelta(days=due),
            )
            if done:
                set_step_status(step, actor=actor, status="done")
    for index, goal_index, (user_key, agency_key), text, visibility in NOTES:
        add_note(
            net.persons[index],
            actor=net.actor(user_key, agency_key),
            text=text,
            visibility=visibility,
            goal=goals[goal_index] if goal_index is not None else None,
        )
