"""Hand-over mode: while the person holds the worker's device, only their questionnaire is open.

Any other page (staff navigation, person records, other sessions) redirects back to the
questionnaire; leaving needs the staff member's password (``views.handback``). Quick exit still
works: it signs out, which ends hand-over mode with the session. The anonymous feedback pages
(``/f/``, public and holding nothing of anyone) stay open, so the person can give feedback.
"""

import re

from django.shortcuts import redirect

from wayfinder.assessments.views import HANDOVER_KEY

ALWAYS_ALLOWED = ("/static/", "/exit/", "/jsi18n/", "/favicon.ico", "/f/")


class HandOverMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        data = request.session.get(HANDOVER_KEY) if hasattr(request, "session") else None
        if user is not None and user.is_authenticated and isinstance(data, dict):
            session_id = str(data.get("session", ""))
            allowed = re.compile(
                rf"^/assessments/session/{re.escape(session_id)}/"
                r"(section/\d+/(visible/)?|handback/|language/|thanks/|crisis/|break/)?$"
            )
            if not (request.path.startswith(ALWAYS_ALLOWED) or allowed.match(request.path)):
                return redirect("assessments:session", session_id=session_id)
        return self.get_response(request)
