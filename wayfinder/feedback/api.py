"""``/api/v1/feedback/``: aggregates only, behind the same threshold as the pages.

There is no endpoint for a single response or a comment. A domain below the threshold (or a
quarter not yet ended) comes back with ``shown: false`` and ``value: null``: the figure is never
worked out, so it cannot be sent.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from wayfinder.accounts.models import Agency
from wayfinder.api.schemas import responses
from wayfinder.core.errors import CodedError
from wayfinder.feedback import queries
from wayfinder.feedback.errors import FeedbackErrorCode as Code

router = Router(tags=["feedback"])
prefix = "feedback"


class FeedbackDomainOut(Schema):
    id: str
    label: str
    kind: str = Field(description="mean: 1 to 4; share: 0 to 1 (who would send a friend)")
    shown: bool
    value: float | None = Field(None, description="null unless shown")
    responses: int | None = Field(None, description="null unless shown")


class FeedbackResultsOut(Schema):
    agency_id: uuid.UUID
    agency_name: str
    period: str
    period_open: bool
    min_responses: int
    domains: list[FeedbackDomainOut]


class FeedbackResultsParams(Schema):
    period: str | None = Field(
        None, pattern=r"^\d{4}-Q[1-4]$", description="A calendar quarter (default: the last ended)"
    )


def _agencies(actor) -> list[Agency]:
    if actor.is_network_admin:
        return list(Agency.objects.filter(is_active=True).order_by("name"))
    if actor.is_agency_admin and actor.agency is not None:
        return [actor.agency]
    raise CodedError(
        Code.NOT_ADMIN, _("Only an agency admin or a network admin may see this."), status=403
    )


@router.get(
    "/results/",
    response=responses(list[FeedbackResultsOut], 403),
    summary="Feedback results per agency and domain (aggregates only)",
)
def results(request, params: Query[FeedbackResultsParams]):
    agencies = _agencies(request.actor)
    period = queries.default_period()
    if params.period:
        parsed = queries.Period.parse(params.period)
        if parsed is None:
            raise CodedError(
                Code.PERIOD_INVALID, _("Give a quarter such as 2026-Q3."), field="period"
            )
        period = parsed
    out = []
    for agency in agencies:
        res = queries.results(agency, period)
        out.append(
            {
                "agency_id": agency.pk,
                "agency_name": agency.name,
                "period": str(period),
                "period_open": res.open,
                "min_responses": queries.min_responses(),
                "domains": [
                    {
                        "id": d.id,
                        "label": d.label.get("en", d.id),
                        "kind": d.kind,
                        "shown": d.shown,
                        "value": d.value if d.shown else None,
                        "responses": d.responses if d.shown else None,
                    }
                    for d in res.domains
                ],
            }
        )
    return out
