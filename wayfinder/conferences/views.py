"""Conference pages: the meetings list, a meeting's agenda, an item, its minutes and actions.

The meeting page and the printed agenda show pseudonyms only; a name appears on the item page,
and only for an attendee whose agency the person consented to (each opening is audited). The
``.ics`` invitation carries the series name, time and place: no person at all.
"""

from __future__ import annotations

import uuid
from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayfinder.access.gate import access_for
from wayfinder.accounts.models import User
from wayfinder.conferences import actions, proposals, queries, reasons
from wayfinder.conferences.errors import ConferenceErrorCode as Code
from wayfinder.conferences.forms import (
    ActionForm,
    AddToPlanForm,
    AttendanceForm,
    ExclusionsForm,
    GuestForm,
    ManualItemForm,
    MinutesForm,
    OutcomeForm,
    SeriesForm,
    VoiceForm,
)
from wayfinder.conferences.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingStatus,
    Series,
)
from wayfinder.core.categories import ALL_CATEGORIES, Category
from wayfinder.core.errors import CodedError, add_action_errors
from wayfinder.people.sealing import identity_of, unseal
from wayfinder.plans.actions import GOAL_PURPOSE
from wayfinder.plans.models import Goal, GoalStatus

# The meeting page lists the proposals with the most reasons first, this many; the count of the
# rest follows (a chair does not read 1,500 lines; see docs/benchmarks.md).
PROPOSALS_SHOWN = 40
# Past meetings on one page of Meetings, newest first.
PAST_MEETINGS = 10


def _meeting(request, meeting_id) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=meeting_id)
    if request.actor.agency is None or not queries.is_attendee(meeting, request.user):
        raise Http404
    return meeting


def _is_chair(request, meeting: Meeting) -> bool:
    actor = request.actor
    return (
        actor.agency is not None
        and actor.agency.pk == meeting.series.chair_agency_id
        and actor.is_casework
    )


def _item(request, item_id) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__series", "person"), pk=item_id
    )
    _meeting(request, item.meeting_id)
    return item


@login_required
@require_GET
def meetings(request):
    """Coming meetings soonest first; past ones newest first, a page at a time (a weekly review
    is fifty meetings a year)."""
    mine, now = queries.meetings_for(request.user), timezone.now()
    past = mine.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return render(
        request,
        "conferences/meetings.html",
        {
            "upcoming": list(mine.filter(ends_at__gte=now)),
            "past": Paginator(past, PAST_MEETINGS).get_page(request.GET.get("page")),
            **chair_context(request),
        },
    )


@login_required
@require_GET
def meeting(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    views = queries.item_views(queries.agenda(meeting), request.actor.agency)
    chair = _is_chair(request, meeting) and meeting.status == MeetingStatus.OPEN
    attendees = queries.attendee_ids(meeting)
    found, proposed = proposals.proposed(meeting, first=PROPOSALS_SHOWN) if chair else ([], 0)
    return render(
        request,
        "conferences/meeting.html",
        {
            "meeting": meeting,
            "views": views,
            "chair": chair,
            "can_schedule": _is_chair(request, meeting),
            "following": queries.following_meeting(meeting),
            "today": timezone.localdate(),
            "carried_actions": list(queries.open_actions_of(queries.previous_meeting(meeting))),
            "proposals": [(p, reasons.explain(p.reasons, ALL_CATEGORIES)) for p in found],
            "proposals_more": proposed - len(found),
            "attendance_form": AttendanceForm(
                attendees=attendees, initial={"present": list(meeting.present.all())}
            )
            if chair
            else None,
        },
    )


@login_required
@require_GET
def meeting_print(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    rows = [
        (v, reasons.explain(v.item.reasons, set()))
        for v in queries.item_views(queries.agenda(meeting), request.actor.agency)
    ]
    return render(request, "conferences/print.html", {"meeting": meeting, "rows": rows})


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@login_required
@require_GET
def meeting_ics(request, meeting_id):
    """An RFC 5545 invitation: the series, the time, the place. Never a person."""
    meeting = _meeting(request, meeting_id)
    series = meeting.series

    def stamp(dt):
        return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Wayfinder//Case conferences//EN",
        "BEGIN:VEVENT",
        f"UID:{meeting.pk}@wayfinder",
        f"DTSTAMP:{stamp(timezone.now())}",
        f"DTSTART:{stamp(meeting.starts_at)}",
        f"DTEND:{stamp(meeting.ends_at)}",
        f"SUMMARY:{_ics_text(series.name)}",
    ]
    if series.place:
        lines.append(f"LOCATION:{_ics_text(series.place)}")
    if series.video_link:
        lines.append(f"URL:{_ics_text(series.video_link)}")
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    response = HttpResponse("\r\n".join(lines), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@login_required
def item(request, item_id, *, status=200, forms=None):
    item = _item(request, item_id)
    view = actions.open_item(item, actor=request.actor)
    identity = identity_of(item.person) if view.can("identity") else None
    chair = _is_chair(request, item.meeting) and item.meeting.status == MeetingStatus.OPEN
    attendees = queries.attendee_ids(item.meeting)
    forms = forms or {}
    rows = (
        action_rows(request, item, plan_form=forms.get("plan"))
        if view.basis == "owner" or view.can("plan")
        else []
    )
    return render(
        request,
        "conferences/item.html",
        {
            "item": item,
            "view": view,
            "name": identity.chosen_name if identity else "",
            "reasons": reasons.explain(item.reasons, view.categories),
            "categories": [(c, Category(c).label) for c in sorted(view.categories)],
            "minutes": actions.minutes_for(view),
            "action_rows": rows,
            "chair": chair,
            "minutes_form": forms.get("minutes")
            or (MinutesForm(initial={"visibility": item.minutes_visibility}) if chair else None),
            "outcome_form": forms.get("outcome")
            or (OutcomeForm(initial={"outcome": item.outcome}) if chair else None),
            "action_form": forms.get("action")
            or (ActionForm(attendees=attendees, prefix="a") if chair else None),
            **voice_context(request, view),
        },
        status=status,
    )


def _post(request, item_id, key, form_class, do, form_kw=None):
    it = _item(request, item_id)
    form = form_class(request.POST, **(form_kw(it) if form_kw else {}))
    if form.is_valid():
        try:
            do(it, form.cleaned_data)
        except CodedError as e:
            form.add_error(None, e.messages[0])
        else:
            return redirect("conferences:item", it.pk)
    return item(request, item_id, status=400, forms={key: form})


@login_required
@require_POST
def minutes(request, item_id):
    return _post(
        request,
        item_id,
        "minutes",
        MinutesForm,
        lambda it, d: actions.record_minutes(
            it, actor=request.actor, text=d["text"], visibility=d["visibility"]
        ),
    )


@login_required
@require_POST
def outcome(request, item_id):
    return _post(
        request,
        item_id,
        "outcome",
        OutcomeForm,
        lambda it, d: actions.set_outcome(it, actor=request.actor, outcome=d["outcome"]),
    )


@login_required
@require_POST
def action_add(request, item_id):
    def form_class(data, **kw):
        return ActionForm(data, prefix="a", **kw)

    return _post(
        request,
        item_id,
        "action",
        form_class,
        lambda it, d: actions.add_action_item(
            it,
            actor=request.actor,
            text=d["text"],
            due_on=d["due_on"],
            owner_user=d["owner_user"],
            owner_agency=d["owner_agency"],
        ),
        form_kw=lambda it: {"attendees": queries.attendee_ids(it.meeting)},
    )


@login_required
@require_POST
def attendance(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    form = AttendanceForm(request.POST, attendees=queries.attendee_ids(meeting))
    if form.is_valid():
        try:
            actions.record_attendance(
                meeting, actor=request.actor, present=list(form.cleaned_data["present"])
            )
        except CodedError as e:
            messages.error(request, e.messages[0])
    return redirect("conferences:meeting", meeting.pk)


@login_required
@require_POST
def close(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    try:
        actions.close_meeting(meeting, actor=request.actor)
    except CodedError as e:
        messages.error(request, e.messages[0])
    except PermissionDenied:
        raise
    return redirect("conferences:meeting", meeting.pk)


@login_required
@require_POST
def accept_proposal(request, meeting_id):
    """The chair puts a proposed person on the agenda, with the reasons computed now."""
    meeting = _meeting(request, meeting_id)
    if not _is_chair(request, meeting):
        raise Http404
    try:
        wanted = uuid.UUID(request.POST.get("person", ""))
    except ValueError:
        raise Http404 from None
    proposal = proposals.proposal_for(meeting, wanted)
    if proposal is None:
        raise Http404
    try:
        actions.add_item(
            meeting,
            actor=request.actor,
            person=proposal.person,
            presenter=request.actor.user,
            reasons=proposal.reasons,
        )
    except CodedError as e:
        messages.error(request, e.messages[0])
        return redirect("conferences:meeting", meeting.pk)
    messages.success(
        request, _("%(code)s is now on the agenda.") % {"code": proposal.person.pseudonym}
    )
    # Back to the proposals, not the top of the page: the chair's next Tab is the next "Add".
    return redirect(reverse("conferences:meeting", args=[meeting.pk]) + "#proposed")


# --- Follow-up (issue 12, part B): an action item into the plan; a conference task done ---


def _action(request, action_id) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.select_related("person", "item__meeting__series"), pk=action_id
    )


def goal_choices(person) -> list[tuple[str, str]]:
    """The person's open goals, as "Area of life: their words" (for the owning agency only)."""
    goals = Goal.objects.filter(
        person=person, status__in=[GoalStatus.ACTIVE, GoalStatus.ON_HOLD]
    ).order_by("created_at", "pk")
    out = []
    for g in goals:
        words = (unseal(person, g.words_ct, GOAL_PURPOSE) or {}).get("text", "")
        short = words if len(words) <= 60 else words[:59] + "…"
        out.append((str(g.pk), f"{g.get_domain_display()}: {short}"))
    return out


def action_rows(request, item: AgendaItem, *, plan_form=None) -> list[dict]:
    """Each action item of the item with its follow-up: the plan step it became (a link), a form
    to add it to the plan (the person's navigator), or a button to mark the task done."""
    access = access_for(request.actor, item.person)
    navigator = access is not None and access.is_owner
    found = list(item.actions.select_related("owner_user", "owner_agency", "person"))
    steps = queries.steps_of(found)
    goals = goal_choices(item.person) if navigator else []
    rows = []
    for a in found:
        row = {"action": a, "text": actions.action_text(a), "step": steps.get(a.step_id)}
        if a.status == ActionStatus.OPEN and a.step_id is None:
            if navigator and goals:
                row["plan_form"] = (
                    plan_form
                    if plan_form is not None and plan_form.prefix == f"p{a.pk}"
                    else AddToPlanForm(
                        goals=goals,
                        prefix=f"p{a.pk}",
                        initial={"goal": str(a.goal_id) if a.goal_id else ""},
                    )
                )
            row["needs_goal"] = navigator and not goals
            a.item = item
            row["can_done"] = actions.can_complete_task(a, request.actor)
        rows.append(row)
    return rows


@login_required
@require_POST
def action_to_plan(request, action_id):
    action = _action(request, action_id)
    it = _item(request, action.item_id)
    access = access_for(request.actor, action.person)
    if access is None or not access.is_owner:
        raise Http404
    form = AddToPlanForm(request.POST, goals=goal_choices(action.person), prefix=f"p{action.pk}")
    if form.is_valid():
        goal = Goal.objects.get(pk=form.cleaned_data["goal"], person=action.person)
        try:
            actions.add_action_to_plan(action, actor=request.actor, goal=goal)
        except CodedError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, _("The action item is now a step of the plan."))
            return redirect("conferences:item", it.pk)
    return item(request, it.pk, status=400, forms={"plan": form})


# --- the survivor's voice ---


def _owned_item(request, item_id) -> AgendaItem:
    """An agenda item about a person of the actor's own agency, for its casework staff."""
    from wayfinder.access.gate import access_for

    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__series", "person"), pk=item_id
    )
    access = access_for(request.actor, item.person)
    if access is None or not access.is_owner or not request.actor.is_casework:
        raise Http404
    return item


def voice_context(request, view) -> dict:
    """What the item page shows of the person's voice (``item.html`` includes ``_voice.html``)."""
    actor = request.actor
    owner = view.basis == "owner"
    return {
        "voice": actions.voice_for(view),
        "can_voice": owner and actor.is_casework and view.item.meeting.status == MeetingStatus.OPEN,
        "excluded": [Category(c).label for c in view.item.excluded_categories] if owner else [],
        "has_exclusions": bool(view.item.excluded_categories) and not view.restricted,
    }


def _after_voice(request, it):
    """Back to the item for an attendee; a navigator who does not attend goes to Meetings."""
    if queries.is_attendee(it.meeting, request.user):
        return redirect("conferences:item", it.pk)
    return redirect("conferences:meetings")


def _voice_page(request, it, *, status=200, voice_form=None, exclusions_form=None):
    words = (unseal(it.person, it.voice_ct, actions.VOICE_PURPOSE) or {}) if it.voice_ct else {}
    return render(
        request,
        "conferences/voice.html",
        {
            "item": it,
            "attends": queries.is_attendee(it.meeting, request.user),
            "voice_form": voice_form
            or VoiceForm(
                initial={
                    "know": words.get("know", ""),
                    "decide": words.get("decide", ""),
                    "representative": words.get("representative", ""),
                    "wish": it.attendance_wish,
                }
            ),
            "exclusions_form": exclusions_form
            or ExclusionsForm(initial={"categories": it.excluded_categories}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def voice(request, item_id):
    """The navigator records the person's own words, and whether they attend or are represented."""
    it = _owned_item(request, item_id)
    if request.method == "GET":
        return _voice_page(request, it)
    form = VoiceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.record_voice(
                it,
                actor=request.actor,
                know=d["know"],
                decide=d["decide"],
                attendance_wish=d["wish"],
                representative=d["representative"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Their words are saved for the meeting."))
            return _after_voice(request, it)
    return _voice_page(request, it, status=400, voice_form=form)


@login_required
@require_POST
def task_done(request, action_id):
    action = _action(request, action_id)
    if not actions.can_complete_task(action, request.actor):
        raise Http404
    try:
        actions.complete_task(action, actor=request.actor)
    except CodedError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("The task is marked done."))
    nxt = request.POST.get("next", "")
    if nxt == "item" and queries.is_attendee(action.item.meeting, request.user):
        return redirect("conferences:item", action.item_id)
    return redirect("dashboard")


@login_required
@require_POST
def schedule_next(request, meeting_id):
    """The chair schedules the series' next meeting; deferred items carry over into it."""
    meeting = _meeting(request, meeting_id)
    if not _is_chair(request, meeting):
        raise Http404
    following = queries.following_meeting(meeting)
    if following is not None:  # already scheduled: go there, do not add another
        return redirect("conferences:meeting", following.pk)
    try:
        nxt = actions.schedule_next_meeting(meeting.series, actor=request.actor)
    except CodedError as e:
        messages.error(request, e.messages[0])
        return redirect("conferences:meeting", meeting.pk)
    return redirect("conferences:meeting", nxt.pk)


@login_required
@require_POST
def exclusions(request, item_id):
    """What the person does not want discussed: hidden from everyone in the meeting."""
    it = _owned_item(request, item_id)
    form = ExclusionsForm(request.POST)
    if form.is_valid():
        try:
            actions.set_exclusions(
                it, actor=request.actor, categories=form.cleaned_data["categories"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Saved: those subjects are hidden in the meeting."))
            return _after_voice(request, it)
    return _voice_page(request, it, status=400, exclusions_form=form)


# --- pages for the chair ---


def _chair_meeting(request, meeting_id) -> Meeting:
    meeting = _meeting(request, meeting_id)
    if not _is_chair(request, meeting) or meeting.status != MeetingStatus.OPEN:
        raise Http404
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def series_new(request):
    """A new series chaired by the actor's agency (casework staff)."""
    if request.actor.agency is None or not request.actor.is_casework:
        raise Http404
    choices = queries.network_user_choices(exclude=[request.user.pk])
    form = SeriesForm(request.POST or None, user_choices=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                series = actions.create_series(
                    actor=request.actor,
                    name=d["name"],
                    type=d["type"],
                    rrule=d["rrule"],
                    starts_at=d["starts_at"],
                    duration_minutes=d["duration_minutes"],
                    place=d["place"],
                    video_link=d["video_link"],
                    attendees=list(User.objects.filter(pk__in=d["attendees"])),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                meeting = actions.schedule_next_meeting(series, actor=request.actor)
                messages.success(request, _("Series created and its first meeting scheduled."))
                return redirect("conferences:meeting", meeting.pk)
    chosen = {int(v) for v in request.POST.getlist("attendees") if v.isdigit()}
    return render(
        request, "conferences/series_new.html", {"form": form, "chosen": chosen}, status=status
    )


@login_required
@require_POST
def series_next(request, series_id):
    """The next meeting of a series the actor's agency chairs (from the Meetings page)."""
    series = get_object_or_404(Series, pk=series_id)
    if request.actor.agency is None or request.actor.agency.pk != series.chair_agency_id:
        raise Http404
    try:
        meeting = actions.schedule_next_meeting(series, actor=request.actor)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("conferences:meetings")
    messages.success(request, _("The next meeting is scheduled."))
    return redirect("conferences:meeting", meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def guest_add(request, meeting_id):
    meeting = _chair_meeting(request, meeting_id)
    choices = queries.network_user_choices(exclude=queries.attendee_ids(meeting))
    form = GuestForm(request.POST or None, user_choices=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.add_guest(
                    meeting,
                    actor=request.actor,
                    user=get_object_or_404(User, pk=form.cleaned_data["user"]),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("The guest is invited to this meeting."))
                return redirect("conferences:meeting", meeting.pk)
    return render(
        request, "conferences/guest_add.html", {"meeting": meeting, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request, meeting_id):
    """The chair puts a person of the agency's caseload on the agenda by hand, with a presenter."""
    meeting = _chair_meeting(request, meeting_id)
    attendees = queries.attendee_ids(meeting)
    form = ManualItemForm(
        request.POST or None, attendees=attendees, initial={"presenter": request.user.pk}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            person = queries.caseload_person(meeting, form.cleaned_data["record_code"])
            if person is None:
                form.add_error(
                    "record_code",
                    CodedError(
                        Code.PERSON_UNKNOWN,
                        _("No one on your agency's caseload has this record code."),
                    ),
                )
            elif meeting.items.filter(person=person).exists():
                form.add_error("record_code", _("This person is already on the agenda."))
            else:
                try:
                    it = actions.add_item(
                        meeting,
                        actor=request.actor,
                        person=person,
                        presenter=form.cleaned_data["presenter"],
                    )
                except ValidationError as exc:
                    add_action_errors(form, exc)
                else:
                    messages.success(request, _("Added to the agenda."))
                    return redirect("conferences:item", it.pk)
    return render(
        request, "conferences/item_add.html", {"meeting": meeting, "form": form}, status=status
    )


def chair_context(request) -> dict:
    """What the Meetings page offers casework staff: a new series, the next meeting of theirs."""
    actor = request.actor
    return {
        "can_create_series": actor.agency is not None and actor.is_casework,
        "chaired": list(queries.chaired_series(actor)),
        "voice_items": list(queries.own_people_on_agendas(actor)),
    }
