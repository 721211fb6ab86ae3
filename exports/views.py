from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from exports.services import FORMATS, profile_export
from profiles.http import AuthenticatedRequest


@login_required
@require_GET
def data_page(request: AuthenticatedRequest) -> HttpResponse:
    """Your data: exports, the confirmed profile, download everything, delete the account."""
    return render(request, "exports/data.html", {"formats": FORMATS.values()})


@login_required
@require_GET
def profile_export_download(request: AuthenticatedRequest, format_slug: str) -> HttpResponse:
    """The signed-in person's current profile as a file (JSON Resume, DOCX or PDF)."""
    if format_slug not in FORMATS:
        raise Http404("No such export format.")
    export = profile_export(user=request.user, format_slug=format_slug)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
