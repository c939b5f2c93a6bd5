"""Feedback pages.

Public, no account (neutral addresses under ``/f/``): type a card code, take the survey, the
"feedback about Wayfinder" form. Staff: print a sheet of cards; agency and network admins: the
results (per domain, behind the threshold), the CSV export, the comment review, the inbox of
feedback about Wayfinder.
"""

from __future__ import annotations

import csv

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wayfinder.accounts.models import Agency
from wayfinder.assessments.instruments import DECLINED, ResponseType
from wayfinder.assessments.views import HANDOVER_KEY
from wayfinder.core.errors import CodedError
from wayfinder.core.languages import language_switch
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.feedback import actions, queries
from wayfinder.feedback.models import Channel, Comment, Sender, WayfinderFeedback

# The service category a survey from hand-over mode is about: the navigator's own work.
HANDOVER_CATEGORY = ServiceCategory.CASE_MANAGEMENT


def _lang() -> str:
    """The page's language as the instruments spell it ("zh-hans", "es")."""
    current = (translation.get_language() or "en").lower()
    if current in dict(settings.LANGUAGES):
        return current
    return current.split("-")[0]


def _public(request, template: str, context: dict | None = None, status: int = 200):
    """A public page: the language switch offers every language (a cookie, like Django's)."""
    switch = language_switch(reverse("set_language"), translation.get_language() or "en")
    return render(request, template, {**(context or {}), "switch": switch}, status=status)


# --- public: the card code, the survey, thanks --------------------------------------------------


@never_cache
def code_entry(request):
    """``/f/``: type the code printed on a card."""
    error = ""
    if request.method == "POST":
        code = actions.normalise_code(request.POST.get("code", ""))
        if actions.usable_invitation(code) is not None:
            return redirect("feedback:card", code=code)
        error = _("This code does not work. Check it and try again. It may be used up or too old.")
    return _public(request, "feedback/code_entry.html", {"error": error}, status=200)


def _survey_context(values: dict, comment: str) -> dict:
    inst = actions.survey()
    lang = _lang()
    sections = []
    for section in inst.sections:
        items = []
        for item in section.items:
            row = {
                "id": item.id,
                "text": inst.tr(item.text, lang),
                "help": inst.tr(item.help, lang),
                "free_text": item.type == ResponseType.SHORT_TEXT,
                "max_length": item.max_length,
                "options": [
                    {"value": str(o.value), "label": inst.tr(o.label, lang)} for o in item.options
                ],
                "value": str(values.get(item.id, "")),
                "show_if": item.show_if or {},
            }
            items.append(row)
        sections.append(
            {
                "id": section.id,
                "title": inst.tr(section.title, lang),
                "intro": inst.tr(section.intro, lang),
                "items": items,
            }
        )
    return {
        "title": inst.tr(inst.title, lang),
        "description": inst.tr(inst.description, lang),
        "sections": sections,
        "declined": DECLINED,
        "comment": comment,
    }


@never_cache
def survey(request: HttpRequest, code: str) -> HttpResponse:
    """The survey, from a card (``/f/<code>/``) or from the portal (``feedback:portal_start``)."""
    code = actions.normalise_code(code)
    if actions.usable_invitation(code) is None:
        return _public(request, "feedback/code_unusable.html", status=404)
    values: dict = {}
    comment = ""
    error = ""
    if request.method == "POST":
        values = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken",)}
        comment = request.POST.get("comment", "")
        try:
            actions.submit_response(code, values, comment)
        except CodedError as exc:
            error = str(exc.message)
        else:
            return redirect("feedback:done")
    context = _survey_context(values, comment)
    context.update({"code": code, "error": error})
    return _public(request, "feedback/survey.html", context)


@never_cache
def done(request):
    handover = request.session.get(HANDOVER_KEY) if hasattr(request, "session") else None
    return _public(
        request,
        "feedback/done.html",
        {"handover_session": handover.get("session") if isinstance(handover, dict) else None},
    )


@require_POST
@login_required
def handover(request):
    """From the thanks page of hand-over mode: a fresh code for the worker's agency, then the
    survey. Nothing links the code to the person or the assessment session."""
    data = request.session.get(HANDOVER_KEY)
    agency = request.actor.agency
    if not isinstance(data, dict) or agency is None:
        raise Http404
    code = actions.mint_invitation(
        agency=agency, service_category=HANDOVER_CATEGORY, channel=Channel.HANDOVER
    )
    response = redirect("feedback:card", code=code)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):  # the questionnaire's language, for the survey too
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


@never_cache
def about_wayfinder(request):
    """The separate, short "feedback about Wayfinder" form: for staff and survivors alike."""
    error = ""
    text = ""
    sender = Sender.STAFF if request.user.is_authenticated else ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        sender = request.POST.get("sender", "")
        try:
            actions.submit_wayfinder_feedback(sender=sender, text=text)
        except CodedError as exc:
            error = str(exc.message)
        else:
            return _public(request, "feedback/about_wayfinder_done.html")
    return _public(
        request,
        "feedback/about_wayfinder.html",
        {"error": error, "text": text, "sender": sender, "senders": Sender.choices},
    )


# --- staff: cards --------------------------------------------------------------------------------


def _card_sheet(codes: list[str]) -> list[dict]:
    base = settings.WAYFINDER_SITE_URL.rstrip("/")
    cards = []
    for code in codes:
        url = base + reverse("feedback:card", kwargs={"code": code})
        svg = segno.make(url, error="m").svg_inline(scale=3, title=_("QR code for the survey"))
        cards.append({"code": actions.display_code(code), "svg": mark_safe(svg)})  # noqa: S308
    return cards


@never_cache
@login_required
def cards(request):
    """Print a sheet of survey cards to hand out after a service (each code works once)."""
    actor = request.actor
    if actor.agency is None or not actor.is_casework:
        raise Http404
    error = ""
    category = request.POST.get("service_category", ServiceCategory.CASE_MANAGEMENT)
    count = request.POST.get("count", "10")
    if request.method == "POST":
        try:
            n = int(count)
        except ValueError:
            n = 0
        try:
            codes = actions.mint_cards(actor=actor, service_category=category, count=n)
        except CodedError as exc:
            error = str(exc.message)
        else:
            return render(
                request,
                "feedback/card_sheet.html",
                {
                    "cards": _card_sheet(codes),
                    "entry_url": settings.WAYFINDER_SITE_URL.rstrip("/")
                    + reverse("feedback:code_entry"),
                    "category": ServiceCategory(category).label,
                },
            )
    return render(
        request,
        "feedback/cards.html",
        {
            "categories": ServiceCategory.choices,
            "category": category,
            "count": count,
            "error": error,
            "max": actions.MAX_CARDS,
        },
    )


# --- admins: results, export, comments, feedback about Wayfinder -------------------------------


def _result_agencies(actor) -> list[Agency]:
    if actor.is_network_admin:
        return list(Agency.objects.filter(is_active=True).order_by("name"))
    if actor.is_agency_admin and actor.agency is not None:
        return [actor.agency]
    raise Http404


def _period(request) -> queries.Period:
    raw = request.GET.get("period", "")
    return queries.Period.parse(raw) or queries.default_period()


def domain_rows(res: queries.AgencyResults) -> list[dict]:
    lang = _lang()
    rows = []
    for d in res.domains:
        text = ""
        if d.shown and d.value is not None:
            if d.kind == "share":
                text = _("%(pct)s%% would send a friend") % {"pct": round(d.value * 100)}
            else:
                text = _("%(value)s out of 4") % {"value": number_format(d.value, 1)}
        rows.append(
            {
                "id": d.id,
                "label": d.label.get(lang) or d.label["en"],
                "shown": d.shown,
                "text": text,
                "responses": d.responses,
            }
        )
    return rows


@login_required
def results(request):
    actor = request.actor
    if not (actor.is_agency_admin or actor.is_network_admin) and actor.is_casework:
        return redirect("feedback:cards")  # staff who hand out cards, but see no results
    agencies = _result_agencies(actor)
    period = _period(request)
    blocks = []
    for agency in agencies:
        res = queries.results(agency, period)
        blocks.append({"agency": agency, "open": res.open, "rows": domain_rows(res)})
    own = request.actor.agency if request.actor.is_agency_admin else None
    return render(
        request,
        "feedback/results.html",
        {
            "blocks": blocks,
            "period": period,
            "periods": queries.period_choices(),
            "threshold": queries.min_responses(),
            "comments": queries.shown_comments(own, period) if own else [],
            "held": len(queries.held_comments(own)) if own else 0,
            "is_agency_admin": own is not None,
        },
    )


def _cell(text: str) -> str:
    """A spreadsheet must not read a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def results_csv(request):
    """The same figures as the page, behind the same threshold (a hidden one is an empty cell)."""
    agencies = _result_agencies(request.actor)
    period = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{period}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(["agency", "period", "domain", "responses", "value", "note"])
    for agency in agencies:
        res = queries.results(agency, period)
        for d in res.domains:
            if d.shown:
                writer.writerow([_cell(agency.name), str(period), d.id, d.responses, d.value, ""])
            else:
                note = "period not ended" if res.open else "not enough responses yet"
                writer.writerow([_cell(agency.name), str(period), d.id, "", "", note])
    return response


@never_cache
@login_required
def comments(request):
    """Held comments (flagged by the check) for an agency admin to release or delete."""
    actor = request.actor
    if not actor.is_agency_admin or actor.agency is None:
        raise Http404
    return render(request, "feedback/comments.html", {"held": queries.held_comments(actor.agency)})


@require_POST
@login_required
def review_comment(request, comment_id):
    actor = request.actor
    if not actor.is_agency_admin or actor.agency is None:
        raise Http404
    row = get_object_or_404(Comment, pk=comment_id, agency=actor.agency)
    if row not in queries.held_comments(actor.agency):
        raise Http404
    release = request.POST.get("decision") == "release"
    try:
        actions.review_comment(row, release=release, actor=actor)
    except CodedError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The comment is now shown.") if release else _("The comment is deleted.")
        )
    return redirect("feedback:comments")


@never_cache
@login_required
def wayfinder_inbox(request):
    actor = request.actor
    if not actor.is_network_admin:
        raise Http404
    if request.method == "POST":
        row = get_object_or_404(WayfinderFeedback, pk=request.POST.get("id"))
        actions.mark_wayfinder_feedback_read(row, actor=actor)
        return redirect("feedback:wayfinder_inbox")
    return render(
        request,
        "feedback/wayfinder_inbox.html",
        {"rows": WayfinderFeedback.objects.order_by("read", "-received_on")[:500]},
    )
