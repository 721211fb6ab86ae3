from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from exports import archive, services
from exports.forms import ConfirmPasswordForm
from exports.models import DataExport, ExportStatus
from exports.services import FORMATS, profile_export
from profiles.http import AuthenticatedRequest
from profiles.models import UserConfirmedProfile
from resumes import storage


@login_required
@require_GET
def data_page(request: AuthenticatedRequest) -> HttpResponse:
    """Your data: exports, download everything, delete the account."""
    latest = DataExport.objects.filter(user=request.user).first()
    return render(
        request,
        "exports/data.html",
        {
            "formats": FORMATS.values(),
            "export": latest,
            "confirmed": UserConfirmedProfile.objects.filter(user=request.user).first(),
            "retention": settings.DATA_EXPORT_RETENTION_HOURS,
        },
    )


@login_required
@require_POST
def data_export_request(request: AuthenticatedRequest) -> HttpResponse:
    """Start building the archive of all the person's data (or show the one being built)."""
    archive.data_export_request(user=request.user)
    return redirect("data_page")


def _export(request: AuthenticatedRequest, export_id: UUID) -> DataExport:
    return get_object_or_404(DataExport.objects.filter(user=request.user), pk=export_id)


@login_required
@require_GET
def data_export_status_hx(request: AuthenticatedRequest, export_id: UUID) -> HttpResponse:
    """The archive's progress; 286 (htmx stops polling) once it is ready or failed."""
    export = _export(request, export_id)
    response = render(
        request,
        "exports/data.html#export-status",
        {"export": export, "retention": settings.DATA_EXPORT_RETENTION_HOURS},
    )
    if export.is_terminal:
        response.status_code = HttpResponseStopPolling.status_code
    return response


@login_required
@require_GET
def data_export_download(request: AuthenticatedRequest, export_id: UUID) -> FileResponse:
    """The archive, to its owner only, while it is kept."""
    export = _export(request, export_id)
    if export.status != ExportStatus.COMPLETED or not export.storage_path:
        raise Http404("This archive is not ready.")
    if export.expires_at is not None and export.expires_at < timezone.now():
        raise Http404("This archive has expired; ask for a new one.")
    return FileResponse(
        storage.original_open(export.storage_path),
        as_attachment=True,
        filename=export.storage_path.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


@login_required
@require_GET
def profile_export_download(request: AuthenticatedRequest, format_slug: str) -> HttpResponse:
    """The signed-in person's current profile as a file (JSON Resume, DOCX or PDF);
    ``?confirmed=1``: the profile as they last confirmed it."""
    if format_slug not in FORMATS:
        raise Http404("No such export format.")
    try:
        export = profile_export(
            user=request.user,
            format_slug=format_slug,
            confirmed=request.GET.get("confirmed") == "1",
        )
    except services.NotConfirmed as error:
        raise Http404(str(error)) from None
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account and all its data, after the password is given again."""
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            services.account_delete(user=user)
            messages.success(request, "Your account and all its data were deleted.")
            return redirect("login")
        return render(request, "exports/delete_account.html", {"form": form}, status=422)
    return render(request, "exports/delete_account.html", {"form": form})
