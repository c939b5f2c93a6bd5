from django.utils import timezone
from ninja.security import HttpBearer

from wayfinder.accounts.actions import retire_api_token
from wayfinder.accounts.actor import actor_for
from wayfinder.accounts.models import TOKEN_PREFIX, ApiToken, hash_token

_MAX_TOKEN_LENGTH = 100  # ours are 46 characters; anything far longer is not worth hashing


class TokenAuth(HttpBearer):
    """``Authorization: Bearer wf_…``: sets ``request.actor`` to the token's user at its agency.

    Unknown, revoked and expired tokens, inactive users and ended memberships all get the same
    401: the answer does not tell a caller which of them it was.
    """

    def authenticate(self, request, token):
        if not token.startswith(TOKEN_PREFIX) or len(token) > _MAX_TOKEN_LENGTH:
            return None
        row = (
            ApiToken.objects.select_related("user", "agency")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.is_usable or not row.user.is_active:
            return None
        ip = request.META.get("REMOTE_ADDR")
        actor = actor_for(row.user, row.agency, ip=ip, via="api")
        if actor.agency is None:
            # The membership (or the agency) ended: the token dies with it, for good, so that
            # giving the role back later does not quietly revive an old token.
            retire_api_token(row, reason="membership_ended", ip=ip)
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.actor = actor
        request.api_token = row
        return row
