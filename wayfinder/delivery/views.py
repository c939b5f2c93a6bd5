"""Pages: a person's services delivered, and the form to record one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wayfinder.core.errors import add_action_errors
from wayfinder.delivery import actions, queries
from wayfinder.delivery.forms import ServiceForm


@login_required
@require_http_methods(["GET", "POST"])
def services(request, person_id):
    access = queries.person_access(request.actor, person_id)
    status = 200
    referrals = queries.referrals_to_fulfil(access, request.actor)
    if request.method == "POST":
        form = ServiceForm(request.POST, referrals=referrals)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.record_service(
                    access.person,
                    actor=request.actor,
                    category=d["category"],
                    delivered_on=d["delivered_on"],
                    quantity=d["quantity"],
                    unit=d["unit"],
                    referral_id=d["referral_id"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Service recorded."))
                return redirect("delivery:services", person_id=access.person.pk)
        status = 422
    else:
        form = ServiceForm(referrals=referrals)
    return render(
        request,
        "delivery/services.html",
        {"person": access.person, "rows": queries.visible_services(access), "form": form},
        status=status,
    )
