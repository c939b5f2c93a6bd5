"""Consent pages: history, recording, the form in the person's language, withdrawal."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wayfinder.access.gate import get_access
from wayfinder.accounts.models import Agency
from wayfinder.audit.events import record
from wayfinder.consent import actions, queries
from wayfinder.consent.forms import ConsentForm, RevokeForm, add_consent_errors, start_of
from wayfinder.consent.models import (
    ConsentStatus,
    GrantorCapacity,
    Purpose,
    SignatureKind,
)
from wayfinder.consent.wording import PERSON_CATEGORY_LABELS
from wayfinder.core.categories import Category
from wayfinder.core.languages import LANGUAGES as LANGUAGE_NAMES
from wayfinder.core.languages import form_language_is_theirs, language_switch
from wayfinder.people.sealing import identity_of


def _owner_access(request, person_id):
    access = get_access(request.actor, person_id)
    if not access.is_owner:
        raise Http404
    return access


def _form_text_context(
    person,
    *,
    recipient,
    disclosing,
    purposes,
    categories,
    valid_from,
    expires_at,
    form_language,
    part2_description="",
    name="",
    grantor_capacity=GrantorCapacity.SELF,
):
    """What the consent form says, for the on-screen preview and the printed copy."""
    cats = [c for c in Category.values if c in set(categories)]
    return {
        # The consent ends at ``expires_at`` (exclusive): the form names the last whole day.
        "last_day": timezone.localdate(expires_at - timedelta(microseconds=1)),
        "form_language": form_language,
        "recipient": recipient,
        "disclosing": disclosing,
        "purpose_labels": [Purpose(p).label for p in Purpose.values if p in set(purposes)],
        "category_labels": [PERSON_CATEGORY_LABELS[c] for c in cats],
        "includes_substance_use": Category.SUBSTANCE_USE in cats,
        "valid_from": valid_from,
        "expires_at": expires_at,
        "part2_description": part2_description,
        "person_name": name,
        "pseudonym": person.pseudonym,
        "guardian": grantor_capacity != GrantorCapacity.SELF,
        "minor": grantor_capacity == GrantorCapacity.GUARDIAN_OF_MINOR,
        "needs_interpreter": not form_language_is_theirs(person, form_language),
    }


def _preview_from(g, person, actor):
    """The form text for the choices in ``g`` (a GET or POST QueryDict; nothing is saved)."""
    form = ConsentForm(person=person, actor=actor)
    recipient = Agency.objects.filter(pk=g.get("recipient_agency") or None, is_active=True).first()
    form_language = g.get("form_language") or form.fields["form_language"].initial
    if form_language not in dict(form.fields["form_language"].choices):
        form_language = form.fields["form_language"].initial
    today = timezone.localdate()
    start = parse_date(g.get("valid_from") or "") or today
    end = parse_date(g.get("expires_on") or "") or form.fields["expires_on"].initial
    return _form_text_context(
        person,
        recipient=recipient,
        disclosing=actor.agency,
        purposes=g.getlist("purposes"),
        categories=g.getlist("categories"),
        valid_from=start_of(max(start, today)),
        expires_at=start_of(end + timedelta(days=1)),
        form_language=form_language,
        part2_description=g.get("substance_use_description", ""),
        grantor_capacity=g.get("grantor_capacity") or GrantorCapacity.SELF,
    )


@login_required
@require_GET
def person_consents(request, person_id):
    """The person's consent history (at a partner: only the consents naming their agency)."""
    access = get_access(request.actor, person_id)
    consents = queries.consents_for(request.actor, access)
    now = timezone.now()
    return render(
        request,
        "consent/person_consents.html",
        {
            "person": access.person,
            "access": access,
            "rows": [(c, c.status(now)) for c in consents],
            "language_name": LANGUAGE_NAMES.get(access.person.primary_language, ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request, person_id):
    """Record a consent: the settings, the form text in the person's language, the signature."""
    access = _owner_access(request, person_id)
    person, actor = access.person, request.actor
    if not actor.is_casework:
        raise Http404
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, person=person, actor=actor)
        if form.is_valid():
            try:
                consent = actions.create_consent(person, form.consent_request(), actor=actor)
            except ValidationError as exc:
                add_consent_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Consent recorded. %(agency)s can now see what it names, until %(date)s.")
                    % {
                        "agency": consent.recipient_agency.name,
                        "date": timezone.localdate(consent.expires_at).isoformat(),
                    },
                )
                return redirect("consent:detail", consent_id=consent.pk)
    else:
        form = ConsentForm(person=person, actor=actor)
    # The preview follows what was just submitted (or the query string, e.g. from "print").
    preview = _preview_from(
        request.POST if request.method == "POST" else request.GET, person, actor
    )
    return render(
        request,
        "consent/consent_form.html",
        {
            "person": person,
            "form": form,
            "preview": preview,
            "language_name": LANGUAGE_NAMES.get(person.primary_language, ""),
        },
    )


@login_required
@require_POST
def form_preview(request, person_id):
    """htmx: the consent form text for the current choices, in the chosen form language.

    POST, so that nothing typed into the form ever lands in a URL or a server log.
    """
    access = _owner_access(request, person_id)
    context = _preview_from(request.POST, access.person, request.actor)
    return render(request, "consent/_form_text.html", {"preview": context})


@login_required
@require_http_methods(["GET", "POST"])
def blank_form(request, person_id):
    """The form to print and sign on paper, in the person's language, with their name (audited).

    The consent page posts its current choices here (so the §2.31 description never goes in a URL).
    """
    access = _owner_access(request, person_id)
    person = access.person
    data = request.POST if request.method == "POST" else request.GET
    context = _preview_from(data, person, request.actor)
    identity = identity_of(person)
    context["person_name"] = (identity.legal_name or identity.chosen_name) if identity else ""
    record(
        "consent.print_blank",
        category="consent",
        actor=request.actor,
        obj=person,
        person=person,
        categories=["identity"],
    )
    # The printed form is the person's: the whole page in the form's language and direction,
    # with a switch that prints the same choices in another language.
    keep = [
        (key, value)
        for key, values in data.lists()
        if key not in {"csrfmiddlewaretoken", "form_language", "next"}
        for value in values
    ]
    switch = language_switch(
        reverse("consent:blank_form", args=[person.pk]),
        context["form_language"],
        field="form_language",
        hidden=keep,
    )
    with translation.override(context["form_language"]):
        return render(
            request, "consent/print.html", {"preview": context, "person": person, "switch": switch}
        )


@login_required
@require_GET
def consent_detail(request, consent_id):
    consent, access = queries.get_consent(request.actor, consent_id)
    secrets = {}
    if access.is_owner:
        secrets = queries.consent_secrets(consent)
        if any(secrets.get(k) for k in ("grantor_name", "witness_name", "typed_name")):
            record(
                "consent.view",
                category="consent",
                actor=request.actor,
                obj=consent,
                person=consent.person,
                categories=["identity"],
            )
    status = consent.status()
    return render(
        request,
        "consent/detail.html",
        {
            "consent": consent,
            "person": consent.person,
            "access": access,
            "status": status,
            "secrets": secrets,
            "can_revoke": status in {ConsentStatus.ACTIVE, ConsentStatus.PENDING}
            and request.actor.is_casework,
            "revoke_form": RevokeForm(),
            "language_name": LANGUAGE_NAMES.get(consent.language, consent.language),
        },
    )


@login_required
@require_GET
def consent_print(request, consent_id):
    """The signed consent, printable, in the language it was given in (owning agency; audited)."""
    consent, access = queries.get_consent(request.actor, consent_id)
    if not access.is_owner:
        raise Http404
    person = consent.person
    # In the language it was given in; the page's switch (?lang=) reads it in another.
    language = request.GET.get("lang", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = consent.form_language
    secrets = queries.consent_secrets(consent)
    identity = identity_of(person)
    context = _form_text_context(
        person,
        recipient=consent.recipient_agency,
        disclosing=consent.disclosing_agency,
        purposes=consent.purposes,
        categories=consent.categories,
        valid_from=consent.valid_from,
        expires_at=consent.expires_at,
        form_language=language,
        part2_description=secrets.get("substance_use_description", ""),
        name=(identity.legal_name or identity.chosen_name) if identity else "",
        grantor_capacity=consent.grantor_capacity,
    )
    record(
        "consent.print",
        category="consent",
        actor=request.actor,
        obj=consent,
        person=person,
        categories=["identity"],
    )
    with translation.override(context["form_language"]):
        return render(
            request,
            "consent/print.html",
            {
                "preview": context,
                "person": person,
                "consent": consent,
                "secrets": secrets,
                "status": consent.status(),
                "SignatureKind": SignatureKind,
                "switch": language_switch(
                    reverse("consent:print", args=[consent.pk]),
                    language,
                    method="get",
                    field="lang",
                ),
            },
        )


@login_required
@require_GET
def consent_artifact(request, consent_id):
    """Download the uploaded signed form (owning agency only; decrypted on the fly; audited)."""
    consent, access = queries.get_consent(request.actor, consent_id)
    data = queries.read_artifact(request.actor, consent, access)
    if data is None:
        raise Http404
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        consent.artifact_content_type, "bin"
    )
    response = HttpResponse(data, content_type=consent.artifact_content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="consent-{consent.person.pseudonym}.{ext}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def consent_revoke(request, consent_id):
    """Withdraw in one step; the channel (an oral withdrawal too) and the recorder are kept."""
    consent, _access = queries.get_consent(request.actor, consent_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the person told you, then withdraw again."))
        return redirect("consent:detail", consent_id=consent.pk)
    try:
        actions.revoke_consent(consent, actor=request.actor, channel=form.cleaned_data["channel"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("consent:detail", consent_id=consent.pk)
    messages.success(
        request,
        _("Consent withdrawn. %(agency)s can no longer see this record through it.")
        % {"agency": consent.recipient_agency.name},
    )
    if consent.recipient_agency_id == request.actor.agency.pk:
        # The partner just ended its own access: the record is no longer theirs to open.
        return redirect("dashboard")
    return redirect("consent:person", person_id=consent.person_id)


@login_required
@require_GET
def access_ended(request, person_id):
    """A partner's "your access ended" page for a record (404 when there is nothing to explain)."""
    get_access(request.actor, person_id)  # raises AccessEnded → the middleware's page
    return redirect("consent:person", person_id=person_id)
