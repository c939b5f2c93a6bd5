"""Directory pages owned by the HSDS import/export: upload an HSDS file, download an export."""

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from wayfinder.directory import actions
from wayfinder.directory.forms import ImportForm
from wayfinder.directory.hsds import io as hsds_io
from wayfinder.directory.queries import can_manage_directory


def _require_manager(request):
    if not can_manage_directory(request.actor):
        raise Http404


def _files_from_upload(upload) -> dict[str, bytes]:
    name = PurePosixPath(upload.name).name or "upload"
    data = upload.read()
    if name.lower().endswith(".zip"):
        return hsds_io.read_zip(data, name=name)
    return {name: data}


@login_required
def import_view(request):
    """Network admins: upload HSDS JSON, CSV or ZIP; see every error, or what was imported."""
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": None, "result": None, "plan": None}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                files = _files_from_upload(upload)
                if form.cleaned_data["check_only"]:
                    context["plan"] = hsds_io.plan_import(files)
                else:
                    context["result"] = actions.import_hsds(
                        files, actor=request.actor, source=PurePosixPath(upload.name).name
                    )
            except hsds_io.HsdsImportError as exc:
                context["errors"] = exc.errors
                status = 422
        else:
            status = 422
    return render(request, "directory/import.html", context, status=status)


@login_required
@require_safe
def export_view(request, fmt: str):
    """Network admins: the whole public directory as a ZIP of HSDS JSON or CSV."""
    _require_manager(request)
    if fmt not in ("json", "csv"):
        raise Http404
    files = actions.export_hsds(fmt, actor=request.actor)
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(hsds_io.to_zip(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="hsds-{fmt}-{stamp}.zip"'
    return response
