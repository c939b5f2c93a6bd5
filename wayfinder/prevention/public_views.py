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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wayfinder.core.errors import CodedError
from wayfinder.core.languages import is_rtl, language_switch
from wayfinder.prevention import actions, queries
from wayfinder.prevention.forms import RegistrationForm
from wayfinder.prevention.models import RegistrationStatus, TrainingSession

# Every interface language: the help page is survivor-facing (docs/languages.md).
HELP_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# The default hotline name, for translation (a network's own name is shown as it is set);
# declared on PreventionConfig with the help page's template (docs/languages.md).
HELP_MESSAGES = [
    gettext_lazy("National Human Trafficking Hotline"),
    gettext_lazy("Enter a ZIP code of five numbers."),
    # A result's opening hours (wayfinder.directory.browse.queries.schedule_text). The day
    # abbreviations ("Mon", "Thu") are translated in this app's catalogues too, but not declared:
    # three letters are words in other languages ("Thu" in Vietnamese) and would trip the check.
    gettext_lazy("Every day"),
    gettext_lazy("Monday to Friday"),
    gettext_lazy("24 hours"),
]
_ZIP = re.compile(r"^\d{5}$")


def _help_language(request) -> str:
    asked = request.GET.get("lang", "")
    if asked in HELP_LANGUAGES:
        return asked
    try:  # the browser's language (LocaleMiddleware), never a cookie of ours
        current = translation.get_supported_language_variant(translation.get_language() or "en")
    except LookupError:
        return "en"
    return current if current in HELP_LANGUAGES else "en"


def _isolate(text: str, rtl: bool) -> str:
    """A phone number inside right-to-left text keeps its left-to-right order (Unicode
    isolates: "(312) 555-0101" must not show as "0101-555 (312)")."""
    return f"\u2066{text}\u2069" if rtl and text else text


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
        # The switch is a GET form (no cookie): it keeps the campaign code and the search.
        rtl = is_rtl(lang)
        rows = [(r, [(p, _isolate(p, rtl)) for p in r.phones]) for r in results]
        keep = [("c", link.code)] if link else []
        if searched:
            keep += [("zip", zip_code)] + ([("open", "1")] if open_only else [])
        response = render(
            request,
            "prevention/help.html",
            {
                "lang": lang,
                "rtl": rtl,
                "listed": listed,
                "code": link.code if link else "",
                "zip": zip_code,
                "open_only": open_only,
                "searched": searched,
                "zip_error": zip_error,
                "results": results,
                "rows": rows,  # each result with its phones (tel, as shown)
                "switch": language_switch(
                    reverse("prevention_public:help"),
                    lang,
                    method="get",
                    field="lang",
                    hidden=keep,
                ),
                "hotline_name": _(settings.WAYFINDER_HELP_HOTLINE_NAME),
                "hotline_phone": _isolate(settings.WAYFINDER_HELP_HOTLINE_PHONE, rtl),
                "hotline_tel": _digits(settings.WAYFINDER_HELP_HOTLINE_PHONE),
                "hotline_text": _isolate(settings.WAYFINDER_HELP_HOTLINE_TEXT, rtl),
                "hotline_sms": _digits(settings.WAYFINDER_HELP_HOTLINE_TEXT),
                "emergency": _isolate(settings.WAYFINDER_HELP_EMERGENCY_PHONE, rtl),
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
