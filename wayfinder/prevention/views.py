"""Trainer and outreach pages: courses, sessions (roster, attendance, checks, certificates),
campaigns (materials, short codes and QR codes, outreach events) and the aggregate reports.

Only trainers (and agency admins) of an agency see its sessions and campaigns; everyone else,
signed in or not, gets a 404. None of these pages shows a survivor.
"""

from __future__ import annotations

import csv

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayfinder.assessments.instruments import translate
from wayfinder.core.errors import CodedError, add_action_errors
from wayfinder.prevention import actions, queries, reports
from wayfinder.prevention.forms import (
    CampaignForm,
    CourseForm,
    LinkCodeForm,
    MaterialForm,
    OutreachForm,
    SessionForm,
)
from wayfinder.prevention.models import (
    Campaign,
    Course,
    LinkCode,
    Material,
    Registration,
    RegistrationStatus,
    TrainingSession,
)


def _trainer(request):
    if not queries.can_train(request.actor):
        raise Http404
    return request.actor


def _session(request, session_id) -> TrainingSession:
    return get_object_or_404(queries.sessions_of(_trainer(request)), pk=session_id)


def _registration(request, registration_id) -> Registration:
    reg = get_object_or_404(
        Registration.objects.select_related("session", "session__course"), pk=registration_id
    )
    _session(request, reg.session_id)
    return reg


def _campaign(request, campaign_id) -> Campaign:
    return get_object_or_404(queries.campaigns_of(_trainer(request)), pk=campaign_id)


@login_required
@require_GET
def home(request):
    actor = _trainer(request)
    sessions = list(queries.sessions_of(actor))
    now = timezone.now()
    return render(
        request,
        "prevention/home.html",
        {
            "upcoming": [s for s in sessions if s.starts_at >= now],
            "past": [s for s in sessions if s.starts_at < now][::-1],
            "courses": queries.courses(),
            "campaigns": queries.campaigns_of(actor),
        },
    )


# --- courses ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    actor = _trainer(request)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = actions.create_course(actor=actor, **form.cleaned_data)
        except CodedError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("prevention:course", course.pk)
    return render(request, "prevention/form.html", {"form": form, "title": _("New course")})


@login_required
@require_http_methods(["GET", "POST"])
def course(request, course_id):
    actor = _trainer(request)
    course = get_object_or_404(Course, pk=course_id)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if course.agency_id != actor.agency.pk:
            raise Http404
        if form.is_valid():
            try:
                actions.add_material(actor=actor, course=course, **form.cleaned_data)
            except CodedError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("The material is added."))
                return redirect("prevention:course", course.pk)
    return render(
        request,
        "prevention/course.html",
        {
            "course": course,
            "materials": course.materials.all(),
            "form": form if course.agency_id == actor.agency.pk else None,
            "gain": queries.course_gain(course),
            "sessions": queries.sessions_of(actor).filter(course=course),
        },
    )


@login_required
@require_GET
def material_file(request, material_id):
    actor = _trainer(request)
    material = get_object_or_404(
        Material.objects.select_related("course", "campaign"), pk=material_id
    )
    owner = material.course or material.campaign
    if material.campaign is not None and owner.agency_id != actor.agency.pk:
        raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True)


# --- sessions -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request):
    actor = _trainer(request)
    form = SessionForm(request.POST or None, courses=queries.courses())
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(actor=actor, **form.cleaned_data)
        except CodedError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("prevention:session", session.pk)
    return render(request, "prevention/form.html", {"form": form, "title": _("New session")})


@login_required
@require_GET
def session(request, session_id):
    session = _session(request, session_id)
    roster = queries.roster(session)
    return render(
        request,
        "prevention/session.html",
        {
            "session": session,
            "registered": [r for r in roster if r.status == RegistrationStatus.REGISTERED],
            "waitlisted": [r for r in roster if r.status == RegistrationStatus.WAITLISTED],
            "gain": queries.session_gain(session),
            "public_url": request.build_absolute_uri(
                reverse("prevention_public:register", args=[session.pk])
            ),
        },
    )


@login_required
@require_POST
def attendance(request, session_id):
    session = _session(request, session_id)
    n = actions.take_attendance(
        session, actor=request.actor, present_ids=request.POST.getlist("present")
    )
    messages.success(request, _("Attendance is saved: %(n)s present.") % {"n": n})
    return redirect("prevention:session", session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def check(request, registration_id, phase):
    reg = _registration(request, registration_id)
    if phase not in ("pre", "post") or reg.status != RegistrationStatus.REGISTERED:
        raise Http404
    instrument = actions.knowledge_check()
    lang = "es" if (request.LANGUAGE_CODE or "").startswith("es") else "en"
    error = ""
    chosen = {}
    if request.method == "POST":
        chosen = {item.id: request.POST.get(item.id, "") for item in instrument.all_items()}
        try:
            actions.record_check(reg, actor=request.actor, phase=phase, answers=chosen)
        except CodedError as exc:
            error = exc.message
        else:
            messages.success(request, _("The check is saved."))
            return redirect("prevention:session", reg.session_id)
    items = [
        {
            "id": item.id,
            "text": translate(item.text, lang),
            "options": [(o.value, translate(o.label, lang)) for o in item.options],
            "chosen": chosen.get(item.id, ""),
        }
        for item in instrument.all_items()
    ]
    return render(
        request,
        "prevention/check.html",
        {
            "reg": reg,
            "phase": phase,
            "title": translate(instrument.title, lang),
            "items": items,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def certificate_issue(request, registration_id):
    reg = _registration(request, registration_id)
    try:
        actions.issue_certificate(reg, actor=request.actor)
    except CodedError as exc:
        messages.error(request, exc.message)
        return redirect("prevention:session", reg.session_id)
    return redirect("prevention:certificate", reg.pk)


@login_required
@require_GET
def certificate(request, registration_id):
    reg = _registration(request, registration_id)
    if not reg.certificate_number or reg.purged_at is not None:
        raise Http404
    return render(request, "prevention/certificate.html", {"reg": reg})


# --- campaigns ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    actor = _trainer(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(actor=actor, **form.cleaned_data)
        except CodedError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("prevention:campaign", campaign.pk)
    return render(request, "prevention/form.html", {"form": form, "title": _("New campaign")})


@login_required
@require_http_methods(["GET", "POST"])
def campaign(request, campaign_id):
    actor = _trainer(request)
    campaign = _campaign(request, campaign_id)
    which = request.POST.get("form", "")
    material_form = MaterialForm(
        request.POST if which == "material" else None, request.FILES or None
    )
    code_form = LinkCodeForm(request.POST if which == "code" else None)
    outreach_form = OutreachForm(request.POST if which == "outreach" else None)
    if request.method == "POST":
        try:
            if which == "material" and material_form.is_valid():
                actions.add_material(actor=actor, campaign=campaign, **material_form.cleaned_data)
                return redirect("prevention:campaign", campaign.pk)
            if which == "code" and code_form.is_valid():
                material = campaign.materials.filter(
                    pk=request.POST.get("material") or None
                ).first()
                actions.add_link_code(
                    campaign, actor=actor, code=code_form.cleaned_data["code"], material=material
                )
                return redirect("prevention:campaign", campaign.pk)
            if which == "outreach" and outreach_form.is_valid():
                actions.record_outreach(campaign, actor=actor, **outreach_form.cleaned_data)
                return redirect("prevention:campaign", campaign.pk)
        except CodedError as exc:
            form = {"material": material_form, "code": code_form}.get(which, outreach_form)
            add_action_errors(form, exc)
    codes = list(campaign.codes.select_related("material"))
    visits = reports.visits_by_code(campaign=campaign)
    return render(
        request,
        "prevention/campaign.html",
        {
            "campaign": campaign,
            "materials": campaign.materials.all(),
            "codes": [(c, visits.get(c.code, 0)) for c in codes],
            "events": campaign.events.all(),
            "reached": sum(e.people_reached for e in campaign.events.all()),
            "material_form": material_form,
            "code_form": code_form,
            "outreach_form": outreach_form,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def code_qr(request, campaign_id, code):
    campaign = _campaign(request, campaign_id)
    link = get_object_or_404(LinkCode, campaign=campaign, code=code)
    url = request.build_absolute_uri(reverse("prevention_public:short", args=[link.code]))
    svg = segno.make(url, error="m").svg_inline(scale=8, title=link.code)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response.headers["Content-Disposition"] = f'inline; filename="help-{link.code}.svg"'
    return response


# --- reports ------------------------------------------------------------------------------------


@login_required
@require_GET
def report_page(request):
    actor = _trainer(request)
    return render(request, "prevention/reports.html", {"tables": reports.all_tables(actor.agency)})


@login_required
@require_GET
def report_csv(request, name):
    actor = _trainer(request)
    tables = {t.name: t for t in reports.all_tables(actor.agency)}
    if name not in tables:
        raise Http404
    table = tables[name]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="prevention-{name}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(h) for h in table.headers])
    writer.writerows(table.rows)
    return response
