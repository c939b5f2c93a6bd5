"""Pages where staff manage their personal API tokens (``/settings/tokens/``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayfinder.accounts.actions import create_api_token, revoke_api_token
from wayfinder.accounts.actor import agencies_of
from wayfinder.accounts.models import ApiToken
from wayfinder.api.forms import TokenForm


def _tokens(user) -> list[tuple[ApiToken, str]]:
    """The user's tokens, newest first, each with its state: active, expired, revoked or ended."""
    now = timezone.now()
    member_of = {a.pk for a in agencies_of(user)}
    rows = []
    for token in (
        ApiToken.objects.filter(user=user).select_related("agency").order_by("-created_at", "pk")
    ):
        if token.revoked_at is not None:
            state = "revoked"
        elif token.expires_at is not None and token.expires_at <= now:
            state = "expired"
        elif token.agency_id not in member_of:
            state = "ended"
        else:
            state = "active"
        rows.append((token, state))
    return rows


def _render_list(request, form, status=200):
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": _tokens(request.user),
            "can_create": request.actor.agency is not None,
        },
        status=status,
    )


@login_required
@require_GET
def token_list(request):
    return _render_list(request, TokenForm(user=request.user, active_agency=request.actor.agency))


@login_required
@require_POST
def token_create(request):
    if request.actor.agency is None:
        raise Http404  # no active membership: nothing a token could act for
    form = TokenForm(request.POST, user=request.user, active_agency=request.actor.agency)
    if form.is_valid():
        try:
            token, raw = create_api_token(
                actor=request.actor,
                agency=form.cleaned_data["agency"],
                name=form.cleaned_data["name"],
                expires_at=form.expires_at,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Rendered, not redirected: the raw token must never sit in a URL, a session or a
            # cache. The page is sent with no-store like every signed-in page.
            return render(request, "api/token_created.html", {"token": token, "raw": raw})
    return _render_list(request, form, status=400)


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_api_token(token, actor=request.actor)
    messages.success(
        request,
        _("The token “%(name)s” is revoked and stops working at once.") % {"name": token.name},
    )
    return redirect("api_tokens")
