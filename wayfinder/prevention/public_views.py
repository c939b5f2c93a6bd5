"""The public pages: "Where to get help" (``/help/``, ``/h/CODE``) and registering for a session.

The help page sets no cookie and keeps nothing about the visitor: its form is a GET, it has no
CSRF token, the language comes from ``?lang=`` or the browser (never a cookie), and a visit only
adds one to a day's counter for the campaign code it came through.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from wayfinder.core.errors import CodedError
from wayfinder.prevention import actions, queries
from wayfinder.prevention.forms import RegistrationForm
from wayfinder.prevention.models import RegistrationStatus, TrainingSession

HELP_LANGUAGES = ("en", "es")
# The default hotline name, for translation (a network's own name is shown as it is set).
gettext_noop("National Human Trafficking Hotline")
_ZIP = re.compile(r"^\d{5}$")


def _help_language(request) -> str:
    asked = request.GET.get("lang", "")
    if asked in HELP_LANGUAGES:
        return asked
    current = translation.get_language() or "en"
    return "es" if current.startswith("es") else "en"


def _digits(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number or "")


@require_GET
def help_page(request):
    """Hotline and 911 first, then help near a ZIP code, then the red flags (no login, no JS)."""
    lang = _help_language(request)
    code_text = (request.GET.get("c") or "").strip().upper()[:16]
    link = queries.link_code(code_text)
    zip_code = (request.GET.get("zip") or "").strip()
    open_only = request.GET.get("open") == "1"
    searched = "zip" in request.GET
    if not searched:  # a landing, not a search on the page
        actions.count_help_visit(link)
    with translation.override(lang):
        results, zip_error = [], ""
        listed = settings.WAYFINDER_DIRECTORY_PUBLIC  # the directory's services are public
        if searched and listed:
            if _ZIP.match(zip_code):
                results = queries.help_near(zip_code, now=timezone.now(), open_only=open_only)
            else:
                zip_error = _("Enter a ZIP code of five numbers.")
        keep = {"c": link.code} if link else {}
        other = "en" if lang == "es" else "es"
        switch = {**keep, "lang": other}
        if searched:
            switch.update({"zip": zip_code, **({"open": "1"} if open_only else {})})
        response = render(
            request,
            "prevention/help.html",
            {
                "lang": lang,
                "listed": listed,
                "code": link.code if link else "",
                "zip": zip_code,
                "open_only": open_only,
                "searched": searched,
                "zip_error": zip_error,
                "results": results,
                "switch_url": reverse("prevention_public:help") + "?" + urlencode(switch),
                "switch_lang": other,
                "switch_label": "Español" if other == "es" else "English",
                "hotline_name": _(settings.WAYFINDER_HELP_HOTLINE_NAME),
                "hotline_phone": settings.WAYFINDER_HELP_HOTLINE_PHONE,
                "hotline_tel": _digits(settings.WAYFINDER_HELP_HOTLINE_PHONE),
                "hotline_text": settings.WAYFINDER_HELP_HOTLINE_TEXT,
                "hotline_sms": _digits(settings.WAYFINDER_HELP_HOTLINE_TEXT),
                "emergency": settings.WAYFINDER_HELP_EMERGENCY_PHONE,
                "emergency_tel": _digits(settings.WAYFINDER_HELP_EMERGENCY_PHONE),
                "quick_exit_url": settings.WAYFINDER_QUICK_EXIT_URL,
            },
        )
        response.headers["Content-Language"] = lang
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@require_GET
def short_link(request, code: str):
    """``/h/CODE`` (printed or in a QR code) opens the help page for that campaign code."""
    link = queries.link_code(code)
    target = reverse("prevention_public:help")
    return redirect(target + ("?" + urlencode({"c": link.code}) if link else ""))


@require_http_methods(["GET", "POST"])
def register(request, session_id):
    """Sign up for a session without an account: a seat, or the waitlist once it is full."""
    session = get_object_or_404(
        TrainingSession.objects.select_related("course"),
        pk=session_id,
        starts_at__gte=timezone.now(),
    )
    form = RegistrationForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = actions.register(session, **form.cleaned_data)
        except CodedError as exc:
            form.add_error(exc.field or None, exc.message)
    return render(
        request,
        "prevention/register.html",
        {
            "session": session,
            "form": form,
            "done": done,
            "waitlisted": done is not None and done.status == RegistrationStatus.WAITLISTED,
        },
        status=200 if done or request.method == "GET" or form.is_valid() else 400,
    )
