"""Demo agencies and staff: a lead agency, partners for every discipline, a user in every role."""

from wayfinder.accounts.actions import add_member, create_agency
from wayfinder.accounts.models import AgencyKind, Role
from wayfinder.core.demo import DEMO_PASSWORD

AGENCIES = [
    # key, name, kind, victim service provider
    ("lead", "Harbor Light Alliance", AgencyKind.LEAD, True),
    ("legal", "Justice Bridge Legal Aid", AgencyKind.LEGAL_AID, False),
    ("housing", "Safe Harbor Housing", AgencyKind.HOUSING, True),
    ("mental", "Riverbend Counseling Center", AgencyKind.MENTAL_HEALTH, False),
    ("sud", "New Dawn Recovery Services", AgencyKind.SUBSTANCE_USE, False),
    ("vocational", "Pathways Workforce Center", AgencyKind.VOCATIONAL, False),
    ("health", "Lakeside Community Health", AgencyKind.HEALTH, False),
    ("outside", "Eastgate Shelter Network", AgencyKind.HOUSING, True),
]

USERS = [
    # key, email, display name, agency key, role, label shown at start-up
    (
        "netadmin",
        "network.admin@demo.wayfinder.test",
        "Noor Haddad",
        "lead",
        Role.NETWORK_ADMIN,
        "Network admin",
    ),
    (
        "admin",
        "agency.admin@demo.wayfinder.test",
        "Grace Okafor",
        "lead",
        Role.AGENCY_ADMIN,
        "Agency admin (lead)",
    ),
    (
        "navigator",
        "navigator@demo.wayfinder.test",
        "María Torres",
        "lead",
        Role.NAVIGATOR,
        "Navigator (case manager)",
    ),
    (
        "navigator2",
        "navigator2@demo.wayfinder.test",
        "Daniel Kim",
        "lead",
        Role.NAVIGATOR,
        "Navigator (second)",
    ),
    (
        "supervisor",
        "supervisor@demo.wayfinder.test",
        "Ruth Mensah",
        "lead",
        Role.SUPERVISOR,
        "Supervisor",
    ),
    (
        "analyst",
        "analyst@demo.wayfinder.test",
        "Priya Shah",
        "lead",
        Role.ANALYST,
        "Analyst (de-identified)",
    ),
    (
        "trainer",
        "trainer@demo.wayfinder.test",
        "Leo Martin",
        "lead",
        Role.TRAINER,
        "Trainer / outreach",
    ),
    (
        "lawyer",
        "lawyer@demo.wayfinder.test",
        "Sam Alvarez",
        "legal",
        Role.PROVIDER,
        "Partner: legal aid",
    ),
    (
        "legaladmin",
        "legal.admin@demo.wayfinder.test",
        "Hana Ito",
        "legal",
        Role.AGENCY_ADMIN,
        "Agency admin (legal aid)",
    ),
    (
        "housing",
        "housing@demo.wayfinder.test",
        "Chris Byrne",
        "housing",
        Role.PROVIDER,
        "Partner: housing",
    ),
    (
        "counselor",
        "counselor@demo.wayfinder.test",
        "Amara Diallo",
        "mental",
        Role.PROVIDER,
        "Partner: mental health",
    ),
    (
        "recovery",
        "recovery@demo.wayfinder.test",
        "Joe Whitehorse",
        "sud",
        Role.PROVIDER,
        "Partner: substance use",
    ),
    (
        "jobs",
        "jobs@demo.wayfinder.test",
        "Mei Chen",
        "vocational",
        Role.PROVIDER,
        "Partner: vocational",
    ),
    (
        "clinic",
        "clinic@demo.wayfinder.test",
        "Omar Farouk",
        "health",
        Role.PROVIDER,
        "Partner: health care",
    ),
    (
        "outsider",
        "outsider@demo.wayfinder.test",
        "Tess Novak",
        "outside",
        Role.NAVIGATOR,
        "Outsider (no consent)",
    ),
]

AGENCY_NAMES = {key: name for key, name, _kind, _vsp in AGENCIES}
DEMO_LOGINS = [(label, email, AGENCY_NAMES[agency]) for _k, email, _n, agency, _r, label in USERS]


def load(net) -> None:
    for key, name, kind, vsp in AGENCIES:
        net.agencies[key] = create_agency(
            actor=None, name=name, kind=kind, is_victim_service_provider=vsp
        )
    for key, email, name, agency, role, _label in USERS:
        membership = add_member(
            actor=None,
            agency=net.agencies[agency],
            email=email,
            role=role,
            display_name=name,
            password=DEMO_PASSWORD,
            send_invitation=False,
        )
        net.users[key] = membership.user
    # The supervisor also volunteers at the mentoring desk of the housing partner: shows agency switching.
    add_member(
        actor=None,
        agency=net.agencies["housing"],
        email=net.users["supervisor"].email,
        role=Role.PROVIDER,
        send_invitation=False,
    )
    net.logins = DEMO_LOGINS
