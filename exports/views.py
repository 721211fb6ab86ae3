from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from exports import services
from exports.forms import ConfirmPasswordForm
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
