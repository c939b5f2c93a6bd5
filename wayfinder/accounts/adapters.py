import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.stagekit import clear_login
from allauth.core import context

from wayfinder.accounts.models import Membership


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Nobody signs themselves up: agency admins invite their staff.
        return False

    def pre_login(self, request, user, **kwargs):
        # Someone whose every role has been removed (or whose agencies are all inactive) is
        # treated like an inactive account: the password alone no longer lets them in.
        if (
            user.is_active
            and not user.is_superuser
            and not Membership.objects.filter(
                user=user, is_active=True, agency__is_active=True
            ).exists()
        ):
            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _signed_in_moments_ago(context.request):
            # Right after signing in, the required TOTP set-up (and the recovery codes shown
            # after it) should not ask for the password a second time.
            return False
        return required


def _signed_in_moments_ago(request) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    now = time.time()
    return any(
        record.get("method") in {"password", "mfa"}
        and now - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, request.user)
    )
