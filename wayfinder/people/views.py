"""Survivor record pages: dashboard, list and search, record, intake and edit, care team,
access history and "forget". Every person is fetched through the gate (``get_access``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wayfinder.access.gate import Access, get_access
from wayfinder.audit.events import record
from wayfinder.core.errors import add_action_errors
from wayfinder.core.views import row_url
from wayfinder.people import display
from wayfinder.people.actions import (
    add_care_team_member,
    create_person,
    forget_person,
    remove_care_team_member,
    set_care_team_lead,
    update_person,
)
from wayfinder.people.forms import (
    ACTION_FIELD_TO_FORM,
    CareTeamAddForm,
    DuplicateCheckForm,
    ForgetForm,
    HistoryFilterForm,
    PersonForm,
    initial_from,
)
from wayfinder.people.models import CareTeamMember
from wayfinder.people.panels import dashboard_panels, person_panels
from wayfinder.people.queries import (
    COUNT_CAP,
    HistoryFilter,
    PersonRow,
    TooManyMatches,
    care_team,
    caseload,
    cursor_of,
    dashboard_counts,
    history_page,
    history_people,
    is_record_code,
    likely_duplicates,
    person_page,
    reveal_person,
    team_candidates,
)


def _owner_access(request, person_id) -> Access:
    """The person, for casework staff of the owning agency only (others: 404)."""
    access = get_access(request.actor, person_id)
    if not access.is_owner:
        raise Http404
    return access


def _admin_access(request, person_id) -> Access:
    access = _owner_access(request, person_id)
    if not request.actor.is_agency_admin:
        raise Http404
    return access


# --- dashboard -------------------------------------------------------------------------------


@login_required
def dashboard(request):
    actor = request.actor
    rows = caseload(actor) if actor.is_casework else None
    counts = dashboard_counts(actor, caseload=rows is not None)
    return render(
        request,
        "people/dashboard.html",
        {
            "rows": rows,
            "counts": counts,
            # Counts past the cap read "More than 10,000" (as the person list's).
            "count_cap": COUNT_CAP,
            "count_cap_text": number_format(COUNT_CAP, force_grouping=True),
            "panels": dashboard_panels(request),
        },
    )


# --- list and search -------------------------------------------------------------------------


def _with_detail_urls(rows: list[PersonRow]) -> list[tuple[PersonRow, str]]:
    """Each row with its record's URL: the URL pattern is reversed once for the page."""
    detail = row_url("person_detail")
    return [(row, detail(row.person.pk)) for row in rows]


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request):
    """Name searches come by POST (htmx or plain form), so names never enter a URL or history;
    a record-code search may be a GET link."""
    actor = request.actor
    source = request.POST if request.method == "POST" else request.GET
    q = source.get("q", "").strip()[:100]
    if request.method == "GET" and not is_record_code(q):
        q = ""  # a name in a GET URL is ignored, not searched (and not echoed back)
    keyset = request.GET if request.method == "GET" else {}
    mine = source.get("mine") == "1"  # the actor's caseload only (linked from the dashboard)
    too_many, too_many_cap = "", 0
    try:
        page_obj, rows = person_page(
            actor,
            q=q,
            page=source.get("page", 1),
            capped=True,
            after=keyset.get("after", ""),
            before=keyset.get("before", ""),
            mine=mine,
        )
    except TooManyMatches as exc:  # no one is shown, so nothing is read or audited
        too_many, too_many_cap = exc.messages[0], exc.extra["cap"]
        page_obj, rows = Paginator([], 25).page(1), []
    context = {
        "too_many": too_many,
        "search_cap": number_format(too_many_cap, force_grouping=True),
        "page_obj": page_obj,
        "rows": rows,
        "linked_rows": _with_detail_urls(rows),
        "count_cap": number_format(
            getattr(page_obj.paginator, "cap", COUNT_CAP), force_grouping=True
        ),
        "first_cursor": cursor_of(rows[0].person) if rows else "",
        "last_cursor": cursor_of(rows[-1].person) if rows else "",
        "q": q,
        "by_post": request.method == "POST",
        "casework": actor.is_casework,
        "mine": mine,
    }
    if request.htmx:
        return render(request, "people/person_list.html#results", context)
    return render(request, "people/person_list.html", context)


# --- the record ------------------------------------------------------------------------------


def _team_context(request, access: Access, form=None, status: str = "") -> dict:
    """The care-team section. The "add a member" form is built only when asked for (``form``):
    its list is every casework member of the network, which grows with the network, so the
    person page shows a button that fetches it."""
    context = {
        "person": access.person,
        "team": care_team(access.person),
        "can_manage_team": access.is_owner,
        "team_status": status,
    }
    if form is not None:
        context["team_form"] = form
    return context


@login_required
def person_detail(request, person_id):
    actor = request.actor
    access = get_access(actor, person_id)
    data = reveal_person(actor, access)
    context = {
        "person": access.person,
        "access": access,
        "data": data,
        # Only what the gate revealed: the name when identity is shared, else the code alone.
        "heading_name": data.get("chosen_name") or data.get("legal_name") or "",
        "sections": display.sections(data),
        "is_admin": access.is_owner and actor.is_agency_admin,
        "panels": person_panels(request, access),
        **_team_context(request, access),
    }
    return render(request, "people/person_detail.html", context)


def _team_response(request, access: Access, form=None, status: str = ""):
    if request.htmx:
        return render(
            request,
            "people/person_detail.html#care-team",
            _team_context(request, access, form=form, status=status),
        )
    if status:
        messages.success(request, status)
    return redirect(reverse("person_detail", args=[access.person.pk]) + "#care-team")


@login_required
@require_http_methods(["GET", "POST"])
def care_team_add(request, person_id):
    """GET: the "add a member" form (the care-team fragment with htmx, a page of its own
    without). POST: add the chosen member, audited."""
    access = _owner_access(request, person_id)
    candidates = team_candidates(access.person)
    if request.method == "GET":
        return _team_form_response(request, access, CareTeamAddForm(candidates=candidates))
    form = CareTeamAddForm(request.POST, candidates=candidates)
    if form.is_valid():
        m = form.cleaned_data["member"]
        try:
            add_care_team_member(
                access.person,
                actor=request.actor,
                user=m.user,
                agency=m.agency,
                is_lead=form.cleaned_data["make_lead"],
            )
        except ValidationError as e:
            form.add_error("member", e)
        else:
            status = _("%(name)s (%(agency)s) joined the care team.") % {
                "name": m.user,
                "agency": m.agency,
            }
            return _team_response(request, access, status=status)
    return _team_form_response(request, access, form)


def _team_form_response(request, access: Access, form: CareTeamAddForm):
    if request.htmx:
        return _team_response(request, access, form=form)
    return render(
        request,
        "people/care_team_add.html",
        {"person": access.person, "team_form": form},
    )


def _member(access: Access, member_id) -> CareTeamMember:
    return get_object_or_404(
        CareTeamMember.objects.select_related("user", "agency", "person"),
        pk=member_id,
        person=access.person,
    )


@login_required
@require_POST
def care_team_remove(request, person_id, member_id):
    access = _owner_access(request, person_id)
    member = _member(access, member_id)
    remove_care_team_member(member, actor=request.actor)
    status = _("%(name)s left the care team.") % {"name": member.user}
    return _team_response(request, access, status=status)


@login_required
@require_POST
def care_team_lead(request, person_id, member_id):
    access = _owner_access(request, person_id)
    member = _member(access, member_id)
    set_care_team_lead(member, actor=request.actor)
    status = _("%(name)s is now the lead.") % {"name": member.user}
    return _team_response(request, access, status=status)


# --- intake and edit -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    actor = request.actor
    if not actor.can_intake:
        raise Http404
    form = PersonForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            person = create_person(actor=actor, identity=form.identity(), **form.plain())
        except ValidationError as e:
            add_action_errors(form, e, rename=ACTION_FIELD_TO_FORM)
        else:
            messages.success(
                request, _("%(code)s was taken in. You are the lead.") % {"code": person}
            )
            return redirect("person_detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    actor = request.actor
    access = _owner_access(request, person_id)
    person = access.person
    if request.method == "POST":
        form = PersonForm(request.POST, actor=actor, person=person)
        if form.is_valid():
            try:
                update_person(person, actor=actor, identity=form.identity(), **form.plain())
            except ValidationError as e:
                add_action_errors(form, e, rename=ACTION_FIELD_TO_FORM)
            else:
                messages.success(request, _("The record was saved."))
                return redirect("person_detail", person_id=person.pk)
    else:
        form = PersonForm(
            initial=initial_from(reveal_person(actor, access)), actor=actor, person=person
        )
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def duplicate_check(request):
    """The live "may be the same person" hint while typing a name or date of birth (htmx)."""
    actor = request.actor
    if not actor.can_intake:
        raise Http404
    exclude = None
    if request.POST.get("exclude"):
        exclude = _owner_access(request, request.POST["exclude"]).person
    form = DuplicateCheckForm(request.POST)
    duplicates = []
    if form.is_valid():
        identity = form.identity()
        if identity.chosen_name or identity.legal_name or identity.aliases:
            duplicates = likely_duplicates(actor, identity, exclude=exclude)
            record(
                "person.duplicate_check",
                category="people",
                actor=actor,
                detail={"matches": len(duplicates)},
            )
    return render(
        request,
        "people/_duplicates.html",
        {"duplicates": duplicates, "checked": bool(request.POST.get("confirm_different"))},
    )


# --- agency admins: access history, forget ---------------------------------------------------


@login_required
def access_history_view(request, person_id):
    access = _admin_access(request, person_id)
    person = access.person
    form = HistoryFilterForm(
        request.GET or None, people=history_people(person), actions=display.action_choices()
    )
    where = HistoryFilter()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        where = HistoryFilter(
            user_id=d["who"],
            actions=tuple(d["what"].split(",")) if d["what"] else (),
            since=d["since"],
            until=d["until"],
        )
    page_obj, rows = history_page(person, page=request.GET.get("page", 1), where=where)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/access_history.html",
        {
            "person": person,
            "page_obj": page_obj,
            "rows": rows,
            "form": form,
            "filtered": where != HistoryFilter(),
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_forget(request, person_id):
    access = _admin_access(request, person_id)
    person = access.person
    form = ForgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            forget_person(person, actor=request.actor, confirmation=form.cleaned_data["code"])
        except ValidationError as e:
            form.add_error("code", e)
        else:
            messages.success(
                request,
                _(
                    "%(code)s was forgotten. Only the record code, the agency and the month it "
                    "was opened remain."
                )
                % {"code": person},
            )
            return redirect("person_list")
    return render(request, "people/person_forget.html", {"person": person, "form": form})
