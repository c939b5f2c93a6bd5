"""Two people (or two tabs) send the same code at the same moment: exactly one response."""

import threading

from django.db import connection

from wayfinder.core.errors import CodedError
from wayfinder.feedback import actions
from wayfinder.feedback.models import Response


def test_one_code_one_response_under_concurrency(postgres_only, personas, transactional_db) -> None:
    code = actions.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="card"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send():
        try:
            barrier.wait()
            actions.submit_response(code, {"felt_safe": "3"})
            outcomes.append("saved")
        except CodedError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["feedback_code_unknown", "saved"]
    assert Response.objects.count() == 1
