"""Referral pages: the partner inbox, what was sent, a person's referrals, making a referral, the
referral itself (with its timeline and buttons), the printable packet, notifications.

Every referral is fetched with ``queries.get_referral`` (the two agencies involved only; the
partner only while consent lasts); every person with the gate.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayfinder.access.gate import get_access
from wayfinder.accounts.models import Agency
from wayfinder.core.categories import Category
from wayfinder.core.errors import add_action_errors
from wayfinder.core.views import row_url
from wayfinder.directory.interpreters import service_language_access
from wayfinder.directory.models import Organization, Service
from wayfinder.directory.queries import agency_for_organization_id, capacity_of
from wayfinder.people import display
from wayfinder.people.models import FIELD_CATEGORIES
from wayfinder.referrals import actions, queries
from wayfinder.referrals.forms import (
    AgencyChoiceForm,
    PacketEmailForm,
    ReferralForm,
    ServiceSearchForm,
    TransitionForm,
    UpdateForm,
)
from wayfinder.referrals.models import (
    PRIORITY_FOR_URGENCY,
    TRANSITION_LABELS,
    TRANSITIONS,
    Delivery,
    Status,
)
from wayfinder.referrals.sharing import DIRECT_METHODS, on_wayfinder, sharing

SEARCH_LIMIT = 20

DONE_MESSAGES = {
    "submit": _("The referral was sent."),
    "accept": _("You accepted the referral."),
    "reject": _("You declined the referral."),
    "start": _("The service has started."),
    "hold": _("The referral is on hold."),
    "resume": _("The referral is in progress again."),
    "complete": _("The referral is completed."),
    "fail": _("The referral is marked as not completed."),
    "cancel": _("The referral was cancelled."),
    "mark_error": _("The referral is marked as entered in error."),
}


def _casework(request):
    if request.actor.agency is None or not request.actor.is_casework:
        raise Http404
    return request.actor


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _category_labels(categories) -> list[str]:
    return [str(Category(c).label) for c in Category.values if c in set(categories)]


def _fields_by_category(categories) -> list[dict]:
    """For "what will be shared": each category with the record fields it carries."""
    out = []
    for c in Category.values:
        if c in set(categories):
            fields = [
                str(display.FIELD_LABELS[f]) for f, cat in FIELD_CATEGORIES.items() if cat == c
            ]
            out.append({"label": str(Category(c).label), "fields": fields})
    return out


# --- lists ---------------------------------------------------------------------------------------


def _with_row_urls(rows) -> list:
    """Set each inbox row's links (its page, accept, decline): each URL pattern is reversed once
    for the page, not once per row."""
    detail = row_url("referral_detail")
    accept, reject = row_url("referral_act", "accept"), row_url("referral_act", "reject")
    for r in rows:
        r.detail_url, r.accept_url, r.reject_url = detail(r.pk), accept(r.pk), reject(r.pk)
    return rows


def _decline_options() -> str:
    """Each declinable row lists the reasons: their ``<option>``s made once per page (escaped as
    the template would), not once per row."""
    choices = TransitionForm.base_fields["reason"].choices  # type: ignore[attr-defined]
    return format_html_join("", '<option value="{}">{}</option>', choices)


@login_required
@require_GET
def inbox(request):
    actor = _casework(request)
    box = queries.inbox(actor)
    queries.inbox_language_needs(actor, _with_row_urls([*box.new, *box.overdue, *box.active]))
    return render(
        request,
        "referrals/inbox.html",
        {
            "box": box,
            "counts": queries.inbox_counts(actor, box),
            "next_cursor": box.next_cursors(),
            "tab": "received",
            "decline_options": _decline_options(),
        },
    )


@login_required
@require_GET
def inbox_section(request, section: str):
    """One section of the inbox, a page at a time (``after``: where the last page ended), for a
    partner with more referrals in it than the inbox shows."""
    actor = _casework(request)
    if section not in queries.INBOX_SECTIONS:
        raise Http404
    rows, more = queries.inbox_section(actor, section, after=request.GET.get("after", ""))
    queries.inbox_language_needs(actor, _with_row_urls(rows))
    box = queries.Inbox()  # the tabs' counts
    box.counts, box.capped = queries.section_counts(actor)
    return render(
        request,
        "referrals/inbox_section.html",
        {
            "section": section,
            "rows": rows,
            "count": box.counts[section],
            "capped": box.capped[section],
            "counts": queries.inbox_counts(actor, box),
            "next_cursor": queries.next_cursor(rows, more),
            "later_page": bool(request.GET.get("after")),
            "page_rows": queries.INBOX_ROWS,
            "tab": "received",
            "decline_options": _decline_options(),
        },
    )


@login_required
@require_GET
def sent(request):
    actor = _casework(request)
    show_all = request.GET.get("all") == "1"
    after = request.GET.get("after", "")
    rows, more = queries.sent(actor, open_only=not show_all, after=after)
    count, capped = queries.sent_count(actor, open_only=not show_all)
    return render(
        request,
        "referrals/sent.html",
        {
            "rows": rows,
            "show_all": show_all,
            "count": count,
            "capped": capped,
            "next_cursor": queries.sent_cursor(rows, more),
            "later_page": bool(after),
            "page_rows": queries.SENT_ROWS,
            "counts": queries.counts(actor),
            "tab": "sent",
        },
    )


@login_required
@require_GET
def person_referrals(request, person_id):
    actor = _casework(request)
    access = get_access(actor, person_id)
    return render(
        request,
        "referrals/person_referrals.html",
        {
            "person": access.person,
            "rows": queries.person_referrals(actor, access),
            "can_refer": access.is_owner,
        },
    )


@login_required
@require_GET
def notifications(request):
    actor = request.actor
    return render(
        request,
        "referrals/notifications.html",
        {"rows": queries.recent_notifications(actor), "unread": queries.unread_count(actor)},
    )


@login_required
@require_POST
def notifications_read(request):
    count = actions.mark_notifications_read(request.actor)
    if count:
        messages.success(request, _("Notifications marked as read."))
    return redirect("referral_notifications")


# --- making a referral ---------------------------------------------------------------------------


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _search_services(q: str) -> list[Service]:
    q = (q or "").strip()
    if not q:
        return []
    org_ids = Organization.objects.filter(name__icontains=q).values("pk")
    return list(
        Service.objects.filter(Q(name__icontains=q) | Q(organization_id__in=org_ids))
        .filter(status="active")
        .order_by("name", "id")[:SEARCH_LIMIT]
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request, person_id=None, service_id=None, need_id=None):
    """Make a referral: from "Find services" (person, service, need) or by hand (choose first)."""
    actor = _casework(request)
    data = request.POST if request.method == "POST" else request.GET
    person_id = person_id or _uuid(data.get("person"))
    if person_id is None:
        raise Http404
    access = get_access(actor, person_id)
    if not access.is_owner:
        raise Http404
    person = access.person
    service_id = service_id or data.get("service", "")
    need_id = need_id or _uuid(data.get("need"))
    agency_id = _uuid(data.get("agency"))
    service = Service.objects.filter(pk=service_id).first() if service_id else None
    agency = None
    if service is None and agency_id:
        agency = (
            Agency.objects.filter(pk=agency_id, is_active=True).exclude(pk=actor.agency.pk).first()
        )

    if service is None and agency is None:
        search = ServiceSearchForm(request.GET or None)
        q = search.cleaned_data["q"] if search.is_valid() else ""
        return render(
            request,
            "referrals/choose.html",
            {
                "person": person,
                "search": search,
                "q": q,
                "results": _search_services(q),
                "agency_form": AgencyChoiceForm(actor=actor),
                "need_id": need_id or "",
                "unknown_service": bool(service_id),
            },
        )

    recipient = agency_for_organization_id(service.organization_id) if service else agency
    organization = (
        Organization.objects.filter(pk=service.organization_id).first()
        if service is not None and service.organization_id
        else None
    )
    shared = sharing(person, recipient)
    network = on_wayfinder(recipient)
    offered = actions.service_categories(service) if service else []
    needs = queries.linkable_needs(person)
    need = next((n for n in needs if n.pk == need_id), None)
    contact_possible = "contact" in shared and person.safe_contact_method in DIRECT_METHODS
    initial = {
        "need": str(need.pk) if need else "",
        "service_category": need.category
        if need and (not offered or need.category in offered)
        else (offered[0] if offered else ""),
        "priority": PRIORITY_FOR_URGENCY.get(need.urgency, "routine") if need else "routine",
    }
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        needs=needs,
        goals=queries.linkable_goals(person),
        categories=offered,
        contact_possible=contact_possible,
        person=person,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.create_referral(
                person,
                form.referral_request(service=service, agency=agency, send="send" in request.POST),
                actor=actor,
            )
        except ValidationError as exc:
            add_action_errors(form, exc, rename={"reason": "reason_for_referral"})
        else:
            if referral.status == Status.DRAFT:
                messages.success(
                    request, _("The referral was saved as a draft. Nothing is shared yet.")
                )
            elif referral.delivery == Delivery.PACKET:
                messages.success(
                    request,
                    _(
                        "The referral is recorded. Print the packet or e-mail the organisation a notice."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("The referral was sent to %(agency)s.") % {"agency": referral.recipient_name},
                )
            return redirect("referral_detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/create.html",
        {
            "person": person,
            "form": form,
            "service": service,
            "organization": organization,
            "capacity": capacity_of(service) if service else None,
            # Will an interpreter be needed there? (the sender owns the record: no consent gate)
            "language_access": service_language_access(
                service.pk, person.preferred_languages, person.interpreter_needed
            )
            if service
            else None,
            "recipient": recipient,
            "agency": agency,
            "network": network,
            "shared": _fields_by_category(shared),
            "not_shared": [str(Category(c).label) for c in Category.values if c not in shared],
            "has_consent": bool(shared),
            "can_send": bool(shared) or not network,
            "withheld_flag": bool(form.errors)
            and any(
                getattr(e, "code", "") == "text_not_consented"
                for field in ("note", "reason_for_referral")
                for e in form.errors.as_data().get(field, [])
            ),
        },
    )


# --- one referral --------------------------------------------------------------------------------


def _buttons(view) -> list[dict]:
    return [
        {
            "name": name,
            "label": TRANSITION_LABELS[name],
            "needs_reason": TRANSITIONS[name].needs_reason,
            "optional_reason": name == "hold",
            "needs_outcome": TRANSITIONS[name].needs_outcome,
            "danger": name in {"reject", "cancel", "fail", "mark_error"},
        }
        for name in view.allowed()
    ]


@login_required
@require_GET
def detail(request, referral_id):
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    referral = view.referral
    payload = None
    sections = []
    if not view.is_sender:
        actions.record_opened(referral, actor=actor)
        payload = queries.referral_payload(actor, referral)
        # Communication needs have a block of their own (``_payload.html``).
        sections = [
            s
            for s in display.sections(queries.display_fields(payload))
            if s["category"] != Category.COMMUNICATION
        ]
    shared = sharing(referral.person, referral.recipient_agency) if view.is_sender else {}
    return render(
        request,
        "referrals/detail.html",
        {
            "view": view,
            "referral": referral,
            "person": referral.person,
            "payload": payload,
            "sections": sections,
            "shared_labels": _category_labels(payload["categories"] if payload else shared),
            "sender_has_consent": bool(shared),
            "care_team_offer": "" if view.is_sender else actions.care_team_offer(referral, actor),
            "withheld": queries.withheld_labels(referral, shared)
            if view.is_sender and referral.status == Status.DRAFT
            else [],
            "events": queries.timeline(view),
            "buttons": _buttons(view),
            "transition_form": TransitionForm(initial={"version": referral.version}),
            "update_form": UpdateForm(initial={"version": referral.version}),
            "packet_form": PacketEmailForm(
                initial={"email": _organization_email(referral)} if view.is_sender else None
            ),
            "overdue": queries.is_overdue(referral),
        },
    )


def _organization_email(referral) -> str:
    if referral.service_id:
        service = Service.objects.filter(pk=referral.service_id).only("email").first()
        if service and service.email:
            return service.email
    if referral.organization_id:
        org = Organization.objects.filter(pk=referral.organization_id).only("email").first()
        if org and org.email:
            return org.email
    return ""


@login_required
@require_POST
def act(request, referral_id, name):
    """One button: accept, decline (with a reason), start, hold, resume, complete (with an outcome)…"""
    actor = _casework(request)
    if name not in TRANSITIONS:
        raise Http404
    view = queries.get_referral(actor, referral_id)
    back = _next_url(request, reverse("referral_detail", args=[view.referral.pk]))
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was not complete. Try again."))
        return redirect(back)
    d = form.cleaned_data
    try:
        actions.transition(
            view.referral,
            name,
            actor=actor,
            reason=d["reason"],
            outcome=d["outcome"],
            note=d["note"],
            expected_version=d["version"],
            confirm_withheld=bool(d.get("confirm_withheld")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE_MESSAGES[name])
    return redirect(back)


@login_required
@require_POST
def join_team(request, referral_id):
    """The accepting partner joins the person's care team (one click, where consent allows)."""
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    try:
        actions.join_care_team(view.referral, actor=actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You are on the care team. The person is now in your People list."),
        )
    return redirect("referral_detail", referral_id=view.referral.pk)


@login_required
@require_POST
def update(request, referral_id):
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            actions.add_update(
                view.referral,
                actor=actor,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your update was added."))
    else:
        messages.error(request, _("Write the update first."))
    return redirect("referral_detail", referral_id=view.referral.pk)


# --- the packet for an organisation that is not on Wayfinder -------------------------------------


def _sender_view(request, referral_id):
    actor = _casework(request)
    view = queries.get_referral(actor, referral_id)
    if not view.is_sender:
        raise Http404
    return actor, view


@login_required
@require_GET
def packet(request, referral_id):
    """The printable referral: only what the consent names (audited as a disclosure)."""
    actor, view = _sender_view(request, referral_id)
    referral = view.referral
    if referral.status == Status.DRAFT:
        raise Http404
    payload = queries.referral_payload(actor, referral, action="referral.packet_disclose")
    actions.record_packet_printed(
        referral, actor=actor, categories=payload["categories"], consents=payload["consents"]
    )
    return render(
        request,
        "referrals/packet.html",
        {
            "referral": referral,
            "person": referral.person,
            "payload": payload,
            "sections": [
                s
                for s in display.sections(queries.display_fields(payload))
                if s["category"] != Category.COMMUNICATION
            ],
            "shared_labels": _category_labels(payload["categories"]),
        },
    )


@login_required
@require_POST
def packet_email(request, referral_id):
    actor, view = _sender_view(request, referral_id)
    form = PacketEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
    else:
        try:
            actions.email_packet_notice(
                view.referral, actor=actor, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "A notice was e-mailed. It holds no personal information; hand over the packet safely."
                ),
            )
    return redirect("referral_detail", referral_id=view.referral.pk)
