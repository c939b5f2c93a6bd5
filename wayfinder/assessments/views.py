"""Pages: a person's assessments, one section per page, hand-over mode, needs, trajectory.

Every page fetches through the gate (``get_access`` / ``queries.get_session``): unknown and
forbidden are both 404. Only the owning agency's casework staff fill in sessions or edit needs.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wayfinder.access.gate import get_access
from wayfinder.assessments import actions, charts, queries, scoring, tell_once
from wayfinder.assessments.forms import (
    FlagResponseForm,
    HandbackForm,
    NeedForm,
    SectionForm,
    StartForm,
    display_answer,
)
from wayfinder.assessments.instruments import translate
from wayfinder.assessments.models import SessionStatus, need_priority
from wayfinder.audit.events import record
from wayfinder.core.errors import add_action_errors
from wayfinder.core.languages import ISO_TO_UI, language_name, language_switch

HANDOVER_KEY = "wf_handover"
MAX_HANDBACK_FAILURES = 5


def staff_language(instrument=None) -> str:
    lang = (translation.get_language() or "en").split("-")[0]
    if instrument is not None and lang not in instrument.languages:
        return "en"
    return lang


def handover_session_id(request) -> str | None:
    data = request.session.get(HANDOVER_KEY)
    return data.get("session") if isinstance(data, dict) else None


def _in_handover(request, session) -> bool:
    return handover_session_id(request) == str(session.pk)


def _writer_or_404(session_or_person, actor) -> None:
    person = getattr(session_or_person, "person", session_or_person)
    if not actions.can_write(person, actor):
        raise Http404


# --- lists ---------------------------------------------------------------------------------------


@login_required
def index(request):
    """The actor's work list: paused sessions to resume and reassessments coming due."""
    actor = request.actor
    if not actor.is_casework:
        raise Http404
    lang = staff_language()
    open_sessions = [
        {"session": s, "title": translate(s.instrument.title, lang)}
        for s in queries.open_sessions(actor)
    ]
    due = [
        {"row": r, "title": translate(r.instrument.title, lang)}
        for r in queries.reassessments_due(actor)
    ]
    today = timezone.localdate()
    language_counts = [
        {
            "row": c,
            "name": language_name(c.language),
            **{m: c.by_mode.get(m, 0) for m in ("in_person", "phone", "video")},
        }
        for c in queries.interpreter_counts(
            start=today - timedelta(days=90), end=today, agency=actor.agency
        )
    ]
    return render(
        request,
        "assessments/index.html",
        {"open_sessions": open_sessions, "due": due, "language_counts": language_counts},
    )


@login_required
def person_overview(request, person_id):
    access = get_access(request.actor, person_id)
    if not (access.can("assessments") or access.can("needs")):
        raise Http404
    lang = staff_language()
    sessions = []
    if access.can("assessments"):
        sessions = queries.sessions_of(access)
        if sessions:
            record(
                "assessment.list",
                category="assessments",
                actor=request.actor,
                person=access.person,
                categories=["assessments"],
                detail={"shown": len(sessions), **queries.audit_detail(access, ["assessments"])},
            )
    rows = []
    for s in sessions:
        inst = s.instrument
        rows.append(
            {
                "session": s,
                "title": translate(inst.title, lang),
                "scores": [
                    (translate(r.rule.label, lang), charts.fmt(r.score.value))
                    for r in queries.score_rows(s)
                ],
            }
        )
    needs = queries.open_needs(access) if access.can("needs") else []
    if needs:
        categories = sorted({c for n in needs for c in n.data_categories})
        record(
            "need.list",
            category="needs",
            actor=request.actor,
            person=access.person,
            categories=categories,
            detail={"shown": len(needs), **queries.audit_detail(access, categories)},
        )
    return render(
        request,
        "assessments/person.html",
        {
            "person": access.person,
            "access": access,
            "rows": rows,
            "open_needs": needs,
            "can_write": actions.can_write(access.person, request.actor),
        },
    )


# --- starting and filling in ---------------------------------------------------------------------


@login_required
def start(request, person_id):
    access = get_access(request.actor, person_id)
    _writer_or_404(access.person, request.actor)
    lang = staff_language()
    # The first of the person's ranked languages the questions come in; else the staff member's.
    theirs = [ISO_TO_UI[i] for i in access.person.preferred_languages or [] if i in ISO_TO_UI]
    initial = {"language": theirs[0] if theirs else lang}
    form = StartForm(request.POST or None, initial=initial, language=lang, person=access.person)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.start_session(
                access.person,
                actor=request.actor,
                instrument_id=form.cleaned_data["instrument"],
                mode=form.cleaned_data["mode"],
                language=form.cleaned_data["language"],
                interpreter_used="no",
                conducted_on=form.cleaned_data["conducted_on"],
                interpreter=form.interpreter_answer(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("assessments:section", session_id=session.pk, index=1)
    return render(request, "assessments/start.html", {"person": access.person, "form": form})


@login_required
def session_entry(request, session_id):
    _access, session = queries.get_session(request.actor, session_id)
    if session.is_open and actions.can_write(session.person, request.actor):
        return redirect(
            "assessments:section", session_id=session.pk, index=session.current_section + 1
        )
    if _in_handover(request, session):  # finished elsewhere while the person had the device
        return redirect("assessments:thanks", session_id=session.pk)
    return redirect("assessments:detail", session_id=session.pk)


def _switch(session) -> dict:
    """The hand-over pages' language switch: the instrument's languages, the session's chosen."""
    return language_switch(
        reverse("assessments:language", args=[session.pk]),
        session.language,
        codes=[c for c, _n in settings.LANGUAGES if c in session.instrument.languages],
    )


def _section_context(request, session, index, form, *, handover):
    instrument = session.instrument
    sections = instrument.sections
    return {
        "session": session,
        "person": session.person,
        "instrument_title": translate(instrument.title, session.language),
        "section": sections[index - 1],
        "section_title": translate(sections[index - 1].title, session.language),
        "section_intro": translate(sections[index - 1].intro, session.language),
        "index": index,
        "total": len(sections),
        "steps": [
            {"n": n, "title": translate(s.title, session.language)}
            for n, s in enumerate(sections, start=1)
        ],
        "items": form.items(),
        "form_errors": bool(form.errors),
        "handover": handover,
        "base_template": "assessments/handover_base.html"
        if handover
        else "assessments/staff_base.html",
        "is_last": index == len(sections),
        "has_previous": session.previous_id is not None and not handover,
        "switch": _switch(session) if handover else None,
    }


@login_required
def section(request, session_id, index):
    """One section per page, in the session's language, with "prefer not to say" on every item."""
    access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    if not session.is_open:
        return redirect("assessments:detail", session_id=session.pk)
    instrument = session.instrument
    if not 1 <= index <= len(instrument.sections):
        raise Http404
    handover = _in_handover(request, session)
    sec = instrument.sections[index - 1]
    stored = queries.stored_answers(session)
    previous = previous_inst = None
    if session.previous_id and not handover:
        previous = queries.stored_answers(session.previous)
        previous_inst = session.previous.instrument
    kwargs = {
        "language": session.language,
        "stored": stored,
        "previous": previous,
        "previous_instrument": previous_inst,
        "defaults": tell_once.visit_defaults(session, instrument, sec, language=session.language),
    }
    ui_language = staff_language()  # the staff member's, for messages to them
    with translation.override(session.language):
        if request.method == "POST":
            form = SectionForm(instrument, sec, data=request.POST, **kwargs)
            if form.is_valid():
                before = SectionForm(instrument, sec, **kwargs).visible()
                nav = request.POST.get("nav", "next")
                target = {"prev": index - 1, "next": index + 1}.get(nav, index)
                if nav.startswith("goto-") and nav[5:].isdigit():
                    target = int(nav[5:])
                target = min(max(target, 1), len(instrument.sections))
                try:
                    saved = actions.save_answers(
                        session,
                        actor=request.actor,
                        answers=form.changes(),
                        by_person=handover,
                        current_section=target - 1,
                    )
                except actions.SessionClosed:
                    return redirect("assessments:detail", session_id=session.pk)
                if saved.flags:
                    if handover:
                        # The person sees the crisis screen at once; the questions wait.
                        data = request.session[HANDOVER_KEY]
                        last = nav == "next" and index == len(instrument.sections)
                        data["after_crisis"] = "thanks" if last else target
                        request.session[HANDOVER_KEY] = data
                        return redirect("assessments:crisis", session_id=session.pk)
                    with translation.override(ui_language):
                        messages.warning(request, _flag_message(saved.flags))
                after = form.visible()
                appeared = [i for i in after - before if form.answers.get(i) is None]
                if request.POST.get("live") == "1":
                    appeared = []  # the script already showed them as answers changed
                if appeared:
                    # Without JavaScript, follow-up questions appear only after saving.
                    messages.info(request, _("Saved. Your answers opened more questions below."))
                    return redirect("assessments:section", session_id=session.pk, index=index)
                if nav == "pause" and not handover:
                    messages.success(
                        request, _("Saved. You can resume this assessment at any time.")
                    )
                    return redirect("assessments:person", person_id=session.person_id)
                if nav == "next" and index == len(instrument.sections):
                    if handover:
                        return redirect("assessments:thanks", session_id=session.pk)
                    return redirect("assessments:review", session_id=session.pk)
                return redirect("assessments:section", session_id=session.pk, index=target)
        else:
            form = SectionForm(instrument, sec, **kwargs)
            queries.audit_session_view(request.actor, access, session, what="view")
        response = render(
            request,
            "assessments/section.html",
            _section_context(request, session, index, form, handover=handover),
            status=200,
        )
    return response


def _flag_message(flags) -> str:
    kinds = ", ".join(str(f.get_kind_display()).lower() for f in flags)
    return _(
        "Safety concern recorded (%(kinds)s). Talk with the person about their safety now, "
        "and record your response on their page."
    ) % {"kinds": kinds}


@login_required
@require_POST
def section_visible(request, session_id, index):
    """Which items of this section show, given the answers on the page (nothing is saved)."""
    _access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    instrument = session.instrument
    if not 1 <= index <= len(instrument.sections):
        raise Http404
    form = SectionForm(
        instrument,
        instrument.sections[index - 1],
        language=session.language,
        stored=queries.stored_answers(session, with_text=False),
        data=request.POST,
    )
    return JsonResponse({"visible": sorted(form.visible())})


def _summary(session, lang):
    """Per section: answered, declined and unanswered counts, and the unanswered questions."""
    instrument = session.instrument
    stored = queries.stored_answers(session, with_text=False)
    shown = scoring.visible_items(instrument, queries.as_scoring_answers(stored))
    out = []
    for n, sec in enumerate(instrument.sections, start=1):
        items = [i for i in sec.items if i.id in shown]
        answered = [i for i in items if i.id in stored and not stored[i.id].declined]
        declined = [i for i in items if i.id in stored and stored[i.id].declined]
        missing = [translate(i.text, lang) for i in items if i.id not in stored]
        out.append(
            {
                "n": n,
                "title": translate(sec.title, lang),
                "answered": len(answered),
                "declined": len(declined),
                "missing": missing,
            }
        )
    return out


@login_required
def review(request, session_id):
    """Before finishing: what is answered, declined or still open in each section, and the
    answers that could go on the record (tell it once)."""
    access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    if not session.is_open:
        return redirect("assessments:detail", session_id=session.pk)
    lang = staff_language(session.instrument)
    flags = queries.session_flags(access, session)
    if flags:
        _audit_flags_seen(request.actor, session.person, flags)
    offers = tell_once.record_offers(session, language=lang)
    if offers:  # the offers show answers and what the record says: a read of both
        queries.audit_session_view(request.actor, access, session, what="view")
    return render(
        request,
        "assessments/review.html",
        {
            "flags": flags,
            "session": session,
            "person": session.person,
            "instrument_title": translate(session.instrument.title, lang),
            "summary": _summary(session, lang),
            "record_offers": offers,
        },
    )


@login_required
@require_POST
def complete(request, session_id):
    _access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    try:
        done = actions.complete_session(session, actor=request.actor)
    except actions.SessionClosed:
        messages.info(request, _("This assessment was already finished."))
    else:
        messages.success(
            request,
            _("Assessment finished: %(created)s new needs, %(raised)s made more urgent.")
            % {"created": len(done.needs_created), "raised": len(done.needs_raised)},
        )
    return redirect("assessments:detail", session_id=session.pk)


@login_required
@require_POST
def stop(request, session_id):
    _access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    with contextlib.suppress(actions.SessionClosed):
        actions.stop_session(session, actor=request.actor)
    messages.info(request, _("The assessment was stopped. Nothing was scored."))
    return redirect("assessments:person", person_id=session.person_id)


@login_required
def detail(request, session_id):
    """A session: facts, scores, the needs it produced, and the answers this reader may see."""
    access, session = queries.get_session(request.actor, session_id)
    instrument = session.instrument
    lang = staff_language(instrument)
    readable = queries.readable_items(access, instrument)
    stored = queries.stored_answers(session, readable=readable)
    shown = scoring.visible_items(
        instrument, queries.as_scoring_answers(queries.stored_answers(session, with_text=False))
    )
    sections = []
    for sec in instrument.sections:
        rows = [
            {
                "label": translate(i.text, lang),
                "answer": display_answer(instrument, i.id, stored.get(i.id), lang),
                "declined": bool(stored.get(i.id) and stored[i.id].declined),
                "by_person": bool(stored.get(i.id) and stored[i.id].by_person),
            }
            for i in sec.items
            if i.id in readable and i.id in shown
        ]
        if rows:
            sections.append({"title": translate(sec.title, lang), "rows": rows})
    needs = []
    if access.can("needs"):
        needs = sorted(
            (n for n in session.needs.all() if queries.can_see_need(access, n)), key=need_priority
        )
    queries.audit_session_view(request.actor, access, session, what="view")
    flags = queries.session_flags(access, session)
    if flags:
        _audit_flags_seen(request.actor, session.person, flags)
    return render(
        request,
        "assessments/detail.html",
        {
            "flags": flags,
            "session": session,
            "person": session.person,
            "instrument": instrument,
            "instrument_title": translate(instrument.title, lang),
            "citation": instrument.citation,
            "scores": [
                {
                    "label": translate(r.rule.label, lang),
                    "value": charts.fmt(r.score.value),
                    "band": translate(r.band["label"], lang) if r.band else "",
                    "score": r.score,
                }
                for r in queries.score_rows(session)
            ],
            "sections": sections,
            "needs": needs,
            "can_write": actions.can_write(session.person, request.actor),
            "record_offers": tell_once.record_offers(session, language=lang)
            if actions.can_write(session.person, request.actor)
            else [],
            "language_name": {"en": "English", "es": "Español"}.get(
                session.language, session.language
            ),
        },
    )


@login_required
@require_POST
def record_update(request, session_id):
    """Tell it once: the answers staff chose go on the person's record (one audited action)."""
    _access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    fields = actions.update_record_from_answers(
        session, request.POST.getlist("item"), actor=request.actor
    )
    if fields:
        messages.success(
            request,
            ngettext(
                "The record was updated with %(n)s answer.",
                "The record was updated with %(n)s answers.",
                len(fields),
            )
            % {"n": len(fields)},
        )
    else:
        messages.info(request, _("Nothing was chosen: the record is unchanged."))
    if session.is_open:
        return redirect("assessments:review", session_id=session.pk)
    return redirect("assessments:detail", session_id=session.pk)


# --- hand-over mode -------------------------------------------------------------------------------


@login_required
@require_POST
def handover_start(request, session_id):
    """Give the device to the person: staff navigation hides until the staff password is given."""
    _access, session = queries.get_session(request.actor, session_id)
    _writer_or_404(session, request.actor)
    if not session.is_open:
        raise Http404
    actions.record_handover(session, actor=request.actor, event="start")
    request.session[HANDOVER_KEY] = {"session": str(session.pk), "failures": 0}
    return redirect("assessments:section", session_id=session.pk, index=session.current_section + 1)


@login_required
@require_POST
def handover_language(request, session_id):
    """The language switch of a hand-over page: the questions continue in the chosen language."""
    _access, session = queries.get_session(request.actor, session_id)
    if not _in_handover(request, session):
        raise Http404
    language = request.POST.get("language", "")
    if language in session.instrument.languages:
        actions.change_language(session, actor=request.actor, language=language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("assessments:session", args=[session.pk])
    return redirect(target)


@login_required
def handback(request, session_id):
    """Return to staff mode: asks for the signed-in staff member's password."""
    _access, session = queries.get_session(request.actor, session_id)
    if not _in_handover(request, session):
        return redirect("assessments:session", session_id=session.pk)
    form = HandbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            del request.session[HANDOVER_KEY]
            request.session.cycle_key()
            actions.record_handover(session, actor=request.actor, event="end")
            messages.success(request, _("Welcome back. You are in staff mode."))
            if session.is_open:
                return redirect("assessments:review", session_id=session.pk)
            return redirect("assessments:detail", session_id=session.pk)
        data = request.session[HANDOVER_KEY]
        data["failures"] = data.get("failures", 0) + 1
        request.session[HANDOVER_KEY] = data
        actions.record_handover(session, actor=request.actor, event="failed")
        if data["failures"] >= MAX_HANDBACK_FAILURES:
            actions.record_handover(session, actor=request.actor, event="signed_out")
            logout(request)
            return redirect(reverse("account_login"))
        form.add_error("password", _("That password is not right."))
    return render(
        request,
        "assessments/handback.html",
        {"session": session, "form": form, "base_template": "assessments/handover_base.html"},
    )


def _crisis_context(request, session) -> dict:
    data = request.session.get(HANDOVER_KEY) or {}
    after = data.get("after_crisis") or session.current_section + 1
    if after == "thanks" or not session.is_open:
        continue_url = reverse("assessments:thanks", args=[session.pk])
    else:
        index = min(max(int(after), 1), len(session.instrument.sections))
        continue_url = reverse("assessments:section", args=[session.pk, index])
    return {
        "session": session,
        "base_template": "assessments/handover_base.html",
        "continue_url": continue_url,
        "switch": _switch(session),
    }


def _handover_page(request, session_id, template: str, context):
    """A page of hand-over mode, in the session's language (else back to the staff view)."""
    _access, session = queries.get_session(request.actor, session_id)
    if not _in_handover(request, session):
        return redirect("assessments:session", session_id=session.pk)
    with translation.override(session.language):
        return render(request, template, context(request, session))


@login_required
def crisis(request, session_id):
    """What the person sees at once after an answer that discloses danger: who to call or text
    now, and "tell the person with you". Then they continue, or take a break."""
    return _handover_page(request, session_id, "assessments/crisis.html", _crisis_context)


@login_required
def take_break(request, session_id):
    """A pause for the person in hand-over mode: nothing to answer until they are ready."""
    return _handover_page(request, session_id, "assessments/break.html", _crisis_context)


@login_required
def thanks(request, session_id):
    return _handover_page(
        request,
        session_id,
        "assessments/thanks.html",
        lambda _request, session: {
            "session": session,
            "base_template": "assessments/handover_base.html",
            "last_index": len(session.instrument.sections),
            "switch": _switch(session),
        },
    )


# --- safety flags ---------------------------------------------------------------------------------


def _audit_flags_seen(actor, person, flags) -> None:
    record(
        "safety_flag.list",
        category="assessments",
        actor=actor,
        person=person,
        categories=sorted({c for f in flags for c in f.data_categories}),
        detail={"flags": [str(f.pk) for f in flags]},
    )


@login_required
def flag(request, flag_id):
    """One safety flag: what was disclosed, the next step, and the response (one action)."""
    _access, flag = queries.get_flag(request.actor, flag_id)
    can_respond = flag.is_open and actions.can_respond(flag, request.actor)
    form = FlagResponseForm(request.POST or None)
    if request.method == "POST":
        if not can_respond:
            raise Http404
        if form.is_valid():
            try:
                actions.respond_to_flag(flag, actor=request.actor, note=form.cleaned_data["note"])
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Response recorded. The safety alert is closed."))
                return redirect("person_detail", person_id=flag.person_id)
    else:
        record(
            "safety_flag.view",
            category="assessments",
            actor=request.actor,
            obj=flag,
            person=flag.person,
            categories=flag.data_categories,
        )
    question = ""
    if flag.source_session is not None:
        inst = flag.source_session.instrument
        if flag.source_item in inst.items_by_id:
            question = translate(inst.item(flag.source_item).text, staff_language(inst))
    return render(
        request,
        "assessments/flag.html",
        {
            "person": flag.person,
            "flag": flag,
            "question": question,
            "response": queries.flag_response(flag) if not flag.is_open else "",
            "form": form,
            "can_respond": can_respond,
        },
    )


# --- needs ----------------------------------------------------------------------------------------


@login_required
def needs(request, person_id):
    access = get_access(request.actor, person_id)
    queries.require(access, "needs")
    can_write = actions.can_write(access.person, request.actor)
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            try:
                actions.add_need(access.person, actor=request.actor, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Need added."))
                return redirect("assessments:needs", person_id=access.person.pk)
    rows = queries.needs_of(request.actor, access, language=staff_language())
    return render(
        request,
        "assessments/needs.html",
        {
            "person": access.person,
            "rows": rows,
            "form": form,
            "can_write": can_write,
            # A partner shown needs but not assessments sees where a need came from, unlinked.
            "can_open_sessions": access.can("assessments"),
        },
    )


@login_required
def need_edit(request, need_id):
    _access, need = queries.get_need(request.actor, need_id)
    _writer_or_404(need.person, request.actor)
    initial = {
        "category": need.category,
        "urgency": need.urgency,
        "status": need.status,
        "note": queries.need_note(need),
    }
    form = NeedForm(request.POST or None, initial=initial, editing=True)
    if request.method == "GET":
        record(
            "need.view",
            category="needs",
            actor=request.actor,
            obj=need,
            person=need.person,
            categories=need.data_categories,
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_need(
                need,
                actor=request.actor,
                category=data["category"],
                urgency=data["urgency"],
                status=data["status"] or None,
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else _("Not allowed."))
        else:
            messages.success(request, _("Need updated."))
            return redirect("assessments:needs", person_id=need.person_id)
    return render(
        request,
        "assessments/need_edit.html",
        {"person": need.person, "need": need, "form": form},
    )


# --- trajectory ----------------------------------------------------------------------------------


@login_required
def trajectory(request, person_id):
    """Protective factors, resilience and self-sufficiency across sessions: chart + table."""
    access = get_access(request.actor, person_id)
    queries.require(access, "assessments")
    lang = staff_language()
    blocks = []
    for n, series in enumerate(queries.trajectory(request.actor, access, language=lang)):
        chart = charts.line_chart(series, language=lang, chart_id=f"chart-{n}")
        item_rows = []
        for row in series.item_rows:
            first = next((v for v in row["values"] if v["number"] is not None), None)
            latest = next((v for v in reversed(row["values"]) if v["number"] is not None), None)
            change = None
            if first and latest and first is not latest:
                change = latest["number"] - first["number"]
            item_rows.append({**row, "first": first, "latest": latest, "change": change})
        blocks.append(
            {
                "instrument_title": translate(series.instrument.title, lang),
                "chart": chart,
                "series": series,
                "points": [{"point": p, "value": charts.fmt(p.value)} for p in series.points],
                "item_rows": item_rows,
            }
        )
    return render(
        request,
        "assessments/trajectory.html",
        {"person": access.person, "blocks": blocks, "status_completed": SessionStatus.COMPLETED},
    )
