"""Demo portal: Lucía (the first demo survivor) signs in at /my/ with a printed door number and PIN.

The navigator gives her a code through the real action; the demo then uses it (as she would) to
set her PIN. Her door number is fixed so ``make run`` can print it every time.
"""

from __future__ import annotations

from wayfinder.assessments.actions import start_session
from wayfinder.portal.actions import issue_invitation, set_up
from wayfinder.portal.models import PortalAccount

DEMO_DOOR = "DEMO2026"
DEMO_PIN = "246810"
# Printed by ``manage.py demo`` beside the staff log-ins (PortalConfig.demo_logins).
DEMO_LOGIN = ("Survivor portal at /my/", f"door {DEMO_DOOR[:4]}-{DEMO_DOOR[4:]}", f"PIN {DEMO_PIN}")


def load(net) -> None:
    person = net.persons[0]
    actor = net.actor("navigator", "lead")
    invitation, _raw = issue_invitation(person, actor=actor)
    PortalAccount.objects.filter(pk=invitation.account_id).update(door=DEMO_DOOR)
    invitation.refresh_from_db()
    set_up(invitation, kind="pin", secret=DEMO_PIN, again=DEMO_PIN, ip="127.0.0.1")
    # A check-in her navigator opened for her to answer herself in the portal.
    start_session(
        person,
        actor=actor,
        instrument_id="brief_resilience_scale",
        mode="self",
        language="es",
        interpreter_used="no",
    )
