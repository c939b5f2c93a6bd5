from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wayfinder.accounts import actions, queries
from wayfinder.accounts.actor import agencies_of
from wayfinder.accounts.forms import AgencyForm, InviteForm
from wayfinder.accounts.middleware import ACTIVE_AGENCY_KEY
from wayfinder.accounts.models import Role
from wayfinder.core.errors import add_action_errors

ADMIN_ROLES = (Role.AGENCY_ADMIN, Role.NETWORK_ADMIN)


@login_required
@require_POST
def switch_agency(request):
    """Make another of the user's agencies the active one for this session."""
    wanted = request.POST.get("agency", "")
    if wanted not in {str(a.pk) for a in agencies_of(request.user)}:
        raise Http404
    request.session[ACTIVE_AGENCY_KEY] = wanted
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        nxt = "dashboard"
    return redirect(nxt)


@login_required
def my_account(request):
    """The signed-in person's own account: agencies and roles, password, two-step sign-in."""
    has_totp = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).exists()
    return render(
        request,
        "accounts/my_account.html",
        {"memberships": queries.memberships_of(request.user), "has_totp": has_totp},
    )


@login_required
@require_POST
def sign_out_elsewhere(request):
    """End every other session of the signed-in person (a lost phone, a shared computer)."""
    actions.sign_out_other_devices(request.user, actor=getattr(request, "actor", None))
    update_session_auth_hash(request, request.user)  # this session goes on
    messages.success(request, _("You are signed out on every other device."))
    return redirect("my_account")


# --- Staff (agency admins for their agency; network admins for any) --------------------------


def _staff_url(agency, actor) -> str:
    if actor.agency is not None and agency.pk == actor.agency.pk:
        return reverse("staff_list")
    return reverse("agency_staff_list", args=[agency.pk])


@login_required
def staff_list(request, agency_id=None):
    actor = request.actor
    agency = queries.managed_agency(actor, agency_id)
    memberships = list(queries.staff_of(agency))
    roles_of = queries.active_roles_of({m.user_id for m in memberships if m.has_mfa})
    for m in memberships:
        own_admin_role = m.user_id == actor.user.pk and m.role in ADMIN_ROLES
        m.manageable = actions.may_manage(actor, agency, m.role) and not own_admin_role
        m.may_reset = (
            m.has_mfa
            and m.is_active
            and actions.may_reset_two_step(actor, m.user, roles_of.get(m.user_id, []))
        )
        m.pending = m.is_active and not m.user.has_usable_password()
    is_own_admin = actor.is_agency_admin and actor.agency is not None and actor.agency == agency
    return render(
        request,
        "accounts/staff_list.html",
        {
            "agency": agency,
            "memberships": memberships,
            "requests": queries.pending_role_requests(agency),
            "grants": queries.recent_role_grants(agency),
            "may_decide": is_own_admin,
            "invite_url": reverse("staff_invite")
            if agency_id is None
            else reverse("agency_staff_invite", args=[agency.pk]),
        },
    )


@login_required
def staff_invite(request, agency_id=None):
    actor = request.actor
    agency = queries.managed_agency(actor, agency_id)
    form = InviteForm(request.POST or None, actor=actor, agency=agency)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        own = email.strip().lower() == actor.user.email.lower()
        try:
            if own and actor.is_agency_admin and actor.agency == agency:
                actions.request_role(actor=actor, agency=agency, role=role)
            else:
                actions.add_member(
                    actor=actor,
                    agency=agency,
                    email=email,
                    role=role,
                    display_name=form.cleaned_data["display_name"],
                )
        except PermissionDenied:
            form.add_error(
                None,
                _(
                    "You cannot give this role. Roles that open survivors' records come only "
                    "from the agency's own administrators."
                ),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if own:
                messages.success(
                    request,
                    _("Your request waits for another administrator of this agency to approve it."),
                )
            else:
                messages.success(request, _("Invitation sent. The new role is active."))
            return redirect(_staff_url(agency, actor))
    return render(
        request,
        "accounts/staff_invite.html",
        {"agency": agency, "form": form},
        status=_status(form),
    )


@login_required
def staff_deactivate(request, membership_id):
    actor = request.actor
    membership = queries.managed_membership(actor, membership_id)
    if not actions.may_manage(actor, membership.agency, membership.role):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            actions.deactivate_member(membership, actor=actor)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The role was removed."))
            return redirect(_staff_url(membership.agency, actor))
    return render(
        request,
        "accounts/staff_deactivate.html",
        {"membership": membership, "error": error},
        status=400 if error else 200,
    )


@login_required
def staff_reset_two_step(request, membership_id):
    """Confirm, then remove a staff member's authenticator app and recovery codes."""
    actor = request.actor
    membership = queries.managed_membership(actor, membership_id)
    if not actions.may_manage(actor, membership.agency, membership.role):
        raise Http404
    if not actions.may_reset_two_step(actor, membership.user):
        raise Http404
    if request.method == "POST":
        actions.reset_two_step(membership, actor=actor)
        messages.success(
            request,
            _("Two-step sign-in was reset. They will set up a new app when they next sign in."),
        )
        return redirect(_staff_url(membership.agency, actor))
    return render(request, "accounts/staff_reset_two_step.html", {"membership": membership})


@login_required
@require_POST
def staff_resend(request, membership_id):
    actor = request.actor
    membership = queries.managed_membership(actor, membership_id)
    try:
        actions.resend_invitation(membership, actor=actor)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("A new invitation was sent."))
    return redirect(_staff_url(membership.agency, actor))


@login_required
@require_POST
def staff_request_decide(request, grant_id, decision):
    """Another admin of the agency approves or refuses a pending self-grant."""
    actor = request.actor
    grant = queries.role_request(actor, grant_id)
    try:
        actions.decide_role_request(grant, actor=actor, approve=decision == "approve")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if decision == "approve":
            messages.success(request, _("The role was approved. It is active now."))
        else:
            messages.success(request, _("The request was refused."))
    return redirect("staff_list")


# --- Agencies (network admins) -------------------------------------------------------------


def _require_network_admin(request):
    if not request.actor.is_network_admin:
        raise Http404


@login_required
def agency_list(request):
    _require_network_admin(request)
    return render(request, "accounts/agency_list.html", {"agencies": queries.agencies_overview()})


@login_required
def agency_create(request):
    _require_network_admin(request)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_agency(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Agency added."))
            return redirect("agency_list")
    return render(
        request, "accounts/agency_form.html", {"form": form, "agency": None}, status=_status(form)
    )


@login_required
def agency_edit(request, agency_id):
    agency = queries.network_agency(request.actor, agency_id)
    form = AgencyForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_agency(agency, actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("agency_list")
    return render(
        request,
        "accounts/agency_form.html",
        {"form": form, "agency": agency},
        status=_status(form),
    )


@login_required
def agency_deactivate(request, agency_id):
    agency = queries.network_agency(request.actor, agency_id)
    error = None
    if request.method == "POST":
        try:
            actions.deactivate_agency(agency, actor=request.actor)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The agency was deactivated."))
            return redirect("agency_list")
    return render(
        request,
        "accounts/agency_deactivate.html",
        {"agency": agency, "error": error},
        status=400 if error else 200,
    )


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
