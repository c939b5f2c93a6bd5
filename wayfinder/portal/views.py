"""The survivor portal's pages (``/my/…``) and the navigator's invitation page.

Pages for the person take no person id: everything starts from ``request.portal``.
"""

from __future__ import annotations

import contextlib
from functools import wraps

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wayfinder.access.gate import get_access
from wayfinder.accounts.middleware import client_ip
from wayfinder.assessments.forms import SectionForm
from wayfinder.assessments.instruments import translate
from wayfinder.assessments.queries import stored_answers as assessment_answers
from wayfinder.core.errors import add_action_errors
from wayfinder.feedback.actions import portal_survey_url
from wayfinder.portal import actions, queries
from wayfinder.portal.forms import (
    ChooseForm,
    CodeForm,
    NoteForm,
    PreferencesForm,
    RecoverForm,
    SignInForm,
)
from wayfinder.portal.middleware import end, start
from wayfinder.portal.models import PortalInvitation, group, normalise
from wayfinder.referrals.models import SurvivorConfirmation

PENDING_KEY = "wf_portal_pending"


def portal_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request, "portal", None) is None:
            if kwargs or request.method != "GET":
                raise Http404  # a route naming a record, or a write: not found, as for staff
            return redirect("portal:signin")
        return view(request, *args, **kwargs)

    return wrapped


def _throttled(request, door: str) -> bool:
    """allauth's rate limits: failed sign-ins per address and per door number."""
    config = {"portal_sign_in": settings.WAYFINDER_PORTAL_SIGN_IN_RATE}
    return not ratelimit.consume(
        request,
        app="portal",
        action="portal_sign_in",
        config=config,
        key=normalise(door) or "-",
        dry_run=True,
    )


def _count_failure(request, door: str) -> None:
    config = {"portal_sign_in": settings.WAYFINDER_PORTAL_SIGN_IN_RATE}
    ratelimit.consume(
        request, app="portal", action="portal_sign_in", config=config, key=normalise(door) or "-"
    )


# --- getting in --------------------------------------------------------------------------------


def signin(request):
    if getattr(request, "portal", None) is not None:
        return redirect("portal:home")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        door, secret = form.cleaned_data["door"], form.cleaned_data["secret"]
        if _throttled(request, door):
            form.add_error(None, _("Too many tries. Wait 15 minutes, then try again."))
            status = 429
        else:
            account = actions.sign_in(door, secret, ip=client_ip(request))
            if account is not None:
                start(request, account)
                return redirect("portal:home")
            _count_failure(request, door)
            form.add_error(None, _("That did not work. Check your door number and PIN."))
            status = 400
    return render(
        request,
        "portal/signin.html",
        {"form": form, "ended": request.GET.get("ended") == "1"},
        status=status,
    )


def start_code(request):
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if _throttled(request, code):
            form.add_error(None, _("Too many tries. Wait 15 minutes, then try again."))
            status = 429
        else:
            invitation = queries.find_invitation(code)
            if invitation is not None:
                end(request)
                request.session[PENDING_KEY] = str(invitation.pk)
                return redirect("portal:choose")
            _count_failure(request, code)
            actions.record_bad_code(ip=client_ip(request))
            form.add_error("code", _("This code does not work. Ask your helper for a new one."))
            status = 400
    return render(request, "portal/start.html", {"form": form}, status=status)


def recover(request):
    form = RecoverForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        door = form.cleaned_data["door"]
        if _throttled(request, door):
            form.add_error(None, _("Too many tries. Wait 15 minutes, then try again."))
            status = 429
        else:
            invitation = actions.recover(door, form.cleaned_data["code"], ip=client_ip(request))
            if invitation is not None:
                end(request)
                request.session[PENDING_KEY] = str(invitation.pk)
                return redirect("portal:choose")
            _count_failure(request, door)
            form.add_error(None, _("That did not work. Check your door number and code."))
            status = 400
    return render(request, "portal/recover.html", {"form": form}, status=status)


def choose(request):
    pending = request.session.get(PENDING_KEY)
    invitation = (
        PortalInvitation.objects.select_related("account").filter(pk=pending).first()
        if pending
        else None
    )
    if invitation is None:
        return redirect("portal:start")
    form = ChooseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account, codes = actions.set_up(
                invitation,
                kind=d["kind"],
                secret=d["secret"],
                again=d["again"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            start(request, account)
            # The person's preferred language from now on, this sheet included.
            language = account.language or translation.get_language()
            request.LANGUAGE_CODE = language
            # The sheet is shown once, in this answer: the codes are never stored.
            with translation.override(language):
                return render(
                    request,
                    "portal/recovery_sheet.html",
                    {
                        "codes": [group(c) for c in codes],
                        "door": group(account.door),
                        "account": account,
                    },
                )
    return render(
        request, "portal/choose.html", {"form": form, "door": group(invitation.account.door)}
    )


@require_POST
def signout(request):
    end(request)
    return redirect("portal:signin")


@require_POST
@portal_required
def language(request):
    """The language switch of a signed-in page: saved on the account, then back to the page."""
    actions.set_language(
        request.portal, language=request.POST.get("language", ""), ip=client_ip(request)
    )
    target = request.POST.get("next", "")
    if not (target.startswith("/my/") and url_has_allowed_host_and_scheme(target, None)):
        target = reverse("portal:home")
    return redirect(target)


@require_POST
@portal_required
def lock(request):
    actions.lock_door(request.portal, ip=client_ip(request))
    end(request)
    return render(request, "portal/locked.html")


# --- the person's pages ------------------------------------------------------------------------


@require_POST
@portal_required
def feedback(request):
    """Mint a fresh single-use survey code for the person's agency and open the survey.

    The feedback app's ``portal_survey_url`` takes no person: nothing stored links the code, or the
    answer, to who asked (docs/feedback.md)."""
    return redirect(
        portal_survey_url(
            agency=request.portal.person.owner_agency, service_category="case_management"
        )
    )


@portal_required
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "feedback_url": reverse("portal:feedback"),
            "checkin_count": len(queries.open_checkins(request.portal.person)),
        },
    )


@portal_required
def sharing(request):
    rows = queries.sharing(request.portal.person)
    return render(
        request,
        "portal/sharing.html",
        {
            "rows": rows,
            "asked": request.GET.get("asked") == "1",
            "withdrawn": request.GET.get("withdrawn") == "1",
        },
    )


@require_POST
@portal_required
def withdraw(request, consent_id):
    consent = queries.my_consent(request.portal.person, consent_id)
    if consent is None:
        raise Http404
    # Already withdrawn or ended: the list shows what is in force now.
    with contextlib.suppress(ValidationError):
        actions.withdraw(request.portal, consent, ip=client_ip(request))
    return redirect(reverse("portal:sharing") + "?withdrawn=1")


@require_POST
@portal_required
def ask(request):
    actions.ask_for_consent(request.portal, ip=client_ip(request))
    return redirect(reverse("portal:sharing") + "?asked=1")


@portal_required
def looked(request):
    before = request.GET.get("before", "")
    # Anything but a positive whole number shows the latest: the person is not told off for a
    # mistyped address.
    start = int(before) if before.isdigit() and 0 < int(before) < 2**63 else None
    looks = queries.who_looked(request.portal.person, before=start)
    return render(
        request, "portal/looked.html", {"looks": looks, "earlier_page": start is not None}
    )


@portal_required
def plan(request):
    return render(
        request,
        "portal/plan.html",
        {
            "plan": queries.plan(request.portal.person),
            "form": NoteForm(),
            "saved": request.GET.get("saved"),
        },
    )


@require_POST
@portal_required
def step_done(request, step_id):
    step = queries.my_step(request.portal.person, step_id)
    if step is None:
        raise Http404
    try:
        actions.mark_step_done(request.portal, step, ip=client_ip(request))
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect(reverse("portal:plan") + "?saved=step")


@require_POST
@portal_required
def note(request):
    person = request.portal.person
    form = NoteForm(request.POST)
    goal = None
    if request.POST.get("goal"):
        goal = (
            queries.my_goal(person, request.POST["goal"])
            if _is_uuid(request.POST["goal"])
            else None
        )
        if goal is None:
            raise Http404
    if form.is_valid():
        try:
            actions.add_note(
                request.portal, text=form.cleaned_data["text"], goal=goal, ip=client_ip(request)
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect(reverse("portal:plan") + "?saved=note")
    return render(
        request, "portal/plan.html", {"plan": queries.plan(person), "form": form}, status=400
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@portal_required
def preferences(request):
    account = request.portal
    form = PreferencesForm(
        request.POST or None,
        initial={
            "page_title": account.page_title,
            "language": account.language or request.LANGUAGE_CODE,
        },
    )
    token = None
    if request.method == "POST" and request.POST.get("make_token"):
        token = actions.create_token(account, ip=client_ip(request))
        form = PreferencesForm(
            initial={
                "page_title": account.page_title,
                "language": account.language or request.LANGUAGE_CODE,
            }
        )
    elif request.method == "POST" and form.is_valid():
        actions.set_preferences(
            account,
            page_title=form.cleaned_data["page_title"],
            language=form.cleaned_data["language"],
            ip=client_ip(request),
        )
        return redirect(reverse("portal:preferences") + "?saved=1")
    return render(
        request,
        "portal/preferences.html",
        {
            "form": form,
            "token": token,
            "saved": request.GET.get("saved") == "1",
            "door": group(account.door),
        },
    )


# --- staff: the invitation (on the person's page) ----------------------------------------------


@login_required
@require_POST
def invite(request, person_id):
    access = get_access(request.actor, person_id)
    try:
        invitation, raw = actions.issue_invitation(access.person, actor=request.actor)
    except PermissionDenied as exc:
        raise Http404 from exc
    # The printed page carries no name: the door number and code are all the person needs.
    return render(
        request,
        "portal/invitation.html",
        {
            "person": access.person,
            "code": group(raw),
            "door": group(invitation.account.door),
            "expires_at": invitation.expires_at,
            "portal_url": request.build_absolute_uri(reverse("portal:signin")),
        },
    )


@portal_required
def referrals(request):
    return render(
        request,
        "portal/referrals.html",
        {
            "rows": queries.referrals(request.portal.person),
            "saved": request.GET.get("saved"),
            "answers": SurvivorConfirmation.choices,
        },
    )


@require_POST
@portal_required
def confirm(request, referral_id):
    referral = queries.my_referral(request.portal.person, referral_id)
    if referral is None:
        raise Http404
    try:
        actions.confirm_referral(
            request.portal, referral, answer=request.POST.get("answer", ""), ip=client_ip(request)
        )
    except ValidationError:
        return redirect("portal:referrals")
    return redirect(reverse("portal:referrals") + "?saved=1")


# --- check-ins ---------------------------------------------------------------------------------


@portal_required
def checkins(request):
    rows = [
        {"session": s, "title": translate(s.instrument.title, s.language)}
        for s in queries.open_checkins(request.portal.person)
    ]
    return render(
        request, "portal/checkins.html", {"rows": rows, "done": request.GET.get("done") == "1"}
    )


@portal_required
def checkin(request, session_id, index):
    """One section per page, in the session's language, with "prefer not to say" on each item;
    the assessments app's form and item template, the person's own write path."""
    session = queries.my_checkin(request.portal.person, session_id)
    if session is None:
        raise Http404
    instrument = session.instrument
    if not 1 <= index <= len(instrument.sections):
        raise Http404
    sec = instrument.sections[index - 1]
    kwargs = {"language": session.language, "stored": assessment_answers(session)}
    with translation.override(session.language):
        if request.method == "POST":
            form = SectionForm(instrument, sec, data=request.POST, **kwargs)
            if form.is_valid():
                before = SectionForm(instrument, sec, **kwargs).visible()
                last = index == len(instrument.sections)
                target = min(index + 1, len(instrument.sections))
                nav = request.POST.get("nav", "next")
                if nav == "prev":
                    target = max(index - 1, 1)
                saved = actions.save_checkin(
                    request.portal,
                    session,
                    answers=form.changes(),
                    current_section=target - 1,
                    ip=client_ip(request),
                )
                appeared = [i for i in form.visible() - before if form.answers.get(i) is None]
                if saved.flags or appeared:
                    # A safety answer: the helplines; follow-up questions: this page again.
                    if saved.flags:
                        return render(request, "portal/checkin_help.html")
                    return redirect("portal:checkin", session_id=session.pk, index=index)
                if nav == "next" and last:
                    actions.finish_checkin(request.portal, session, ip=client_ip(request))
                    return redirect(reverse("portal:checkins") + "?done=1")
                return redirect("portal:checkin", session_id=session.pk, index=target)
        else:
            form = SectionForm(instrument, sec, **kwargs)
        return render(
            request,
            "portal/checkin.html",
            {
                "session": session,
                "title": translate(instrument.title, session.language),
                "section_title": translate(sec.title, session.language),
                "section_intro": translate(sec.intro, session.language),
                "index": index,
                "total": len(instrument.sections),
                "is_last": index == len(instrument.sections),
                "items": form.items(),
                "form_errors": bool(form.errors),
            },
        )
