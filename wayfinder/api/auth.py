from django.utils import timezone
from ninja.security import HttpBearer

from wayfinder.accounts.actor import actor_for
from wayfinder.api.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer wf_…``: sets ``request.actor`` to the token's user at its agency."""

    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user", "agency")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.is_usable or not row.user.is_active:
            return None
        actor = actor_for(row.user, row.agency, ip=request.META.get("REMOTE_ADDR"), via="api")
        if actor.agency is None:  # membership ended: the token dies with it
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.actor = actor
        request.api_token = row
        return row
