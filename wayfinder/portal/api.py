"""The portal's own API, at ``/my/api/`` — the person's endpoints only.

It is a separate ``NinjaAPI`` (not a router of the staff API at ``/api/``; there is no
``router`` here, so the staff API does not mount it) with its own token type: ``wfp_`` portal
tokens, looked up in ``PortalToken``. A staff token (``wf_``, ``ApiToken``) is unknown here, and
a portal token is unknown to the staff API: each side gets 401 from the other.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

from wayfinder.api import errors
from wayfinder.api.schemas import responses
from wayfinder.portal import actions, queries
from wayfinder.portal.models import PORTAL_TOKEN_PREFIX, PortalToken, hash_token


class PortalTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token.startswith(PORTAL_TOKEN_PREFIX) or len(token) > 100:
            return None
        row = (
            PortalToken.objects.select_related("account__person")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.account.is_ready:
            return None
        request.portal = row.account
        return row


api = NinjaAPI(
    title="Wayfinder portal API",
    version="1",
    description="The survivor's own endpoints. Portal tokens only; staff tokens get 401.",
    auth=PortalTokenAuth(),
    urls_namespace="portal_api",
    openapi_url="/openapi.json",
    docs_url=None,
)
errors.install(api)


class PortalSharingOut(Schema):
    consent_id: uuid.UUID
    agency: str
    categories: list[str]
    until: datetime
    sentence: str


@api.get("/v1/sharing", response=responses(list[PortalSharingOut]), summary="What I share")
def my_sharing(request):
    return [
        {
            "consent_id": r.consent.pk,
            "agency": r.consent.recipient_agency.name,
            "categories": r.consent.categories,
            "until": r.consent.expires_at,
            "sentence": r.sentence,
        }
        for r in queries.sharing(request.portal.person)
    ]


@api.post(
    "/v1/sharing/{consent_id}/withdraw",
    response=responses(list[PortalSharingOut], 409),
    summary="Withdraw one consent",
)
def my_withdraw(request, consent_id: uuid.UUID):
    consent = queries.my_consent(request.portal.person, consent_id)
    if consent is None:
        raise Http404
    actions.withdraw(request.portal, consent, ip=request.META.get("REMOTE_ADDR"))
    return my_sharing(request)
