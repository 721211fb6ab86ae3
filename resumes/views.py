from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from merges.models import DecisionStatus, MergeDecision
from profiles.http import AuthenticatedRequest
from resumes import selectors, services, storage
from resumes.files import SizeCappedUploadHandler
from resumes.forms import UploadForm
from resumes.models import ResumeDiff, ResumeVersion


@login_required
@require_GET
def resume_index(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "resumes/index.html", {"streams": selectors.streams_for(request.user)})


@login_required
@require_GET
def resume_dashboard_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard's Resumes card: the latest streams and their latest versions."""
    streams = selectors.streams_for(request.user)[:5]
    return render(request, "resumes/index.html#resume-card", {"streams": streams})


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def resume_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload one or more files into a chosen or new stream.

    The size cap must be installed before anything reads the body, and the CSRF check
    reads it (request.POST); so this view is exempt and checks CSRF itself, after adding
    the handler, as Django's upload-handler documentation prescribes.
    """
    handler = SizeCappedUploadHandler(request)
    if request.method == "POST":
        handler.quota_remaining = (
            settings.RESUME_STORAGE_QUOTA_BYTES - services.resume_storage_used(user=request.user)
        )
    request.upload_handlers.insert(0, handler)
    return _resume_upload(request)


@csrf_protect
def _resume_upload(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    max_files = settings.RESUME_MAX_FILES_PER_UPLOAD
    if request.method == "GET":
        form = UploadForm(user=user, max_files=max_files, initial=_initial_stream(request))
        return render(request, "resumes/upload.html", {"form": form})
    form = UploadForm(request.POST, request.FILES, user=user, max_files=max_files)
    if getattr(request, "upload_too_large", False):
        return render(
            request,
            "resumes/upload.html",
            {
                "form": UploadForm(user=user, max_files=max_files),
                "upload_error": _too_large(getattr(request, "upload_refused", "file"), user),
            },
            status=413,
        )
    if not form.is_valid():
        return render(request, "resumes/upload.html", {"form": form}, status=422)
    stream = form.cleaned_data["stream"] or services.resume_stream_create(
        user=user,
        name=form.cleaned_data["new_stream_name"],
        description=form.cleaned_data["new_stream_description"],
    )
    versions = [
        services.resume_version_upload(
            user=user,
            stream=stream,
            filename=upload.name or "resume",
            content=upload,
            size=upload.size or 0,
        )
        for upload in form.cleaned_data["documents"]
    ]
    if len(versions) == 1:
        return redirect("resume_version", version_id=versions[0].pk)
    messages.success(request, f"{len(versions)} files uploaded; they are being read.")
    return redirect("resume_stream", stream_id=stream.pk)


def _too_large(reason: str, user: Any) -> str:
    mb = 1024 * 1024
    if reason == "quota":
        used = services.resume_storage_used(user=user)
        quota = settings.RESUME_STORAGE_QUOTA_BYTES
        return (
            f"Your resume storage is full: {used / mb:.1f} MB of {quota // mb} MB used, and "
            "this upload does not fit. Delete old versions you no longer need, then try again."
        )
    if reason == "request":
        return (
            "That upload is too large: all files together may be at most "
            f"{settings.RESUME_MAX_REQUEST_BYTES // mb} MB. Upload them in smaller batches."
        )
    return (
        "That upload is too large: each file may be at most "
        f"{settings.RESUME_MAX_UPLOAD_BYTES // mb} MB, and at most "
        f"{settings.RESUME_MAX_FILES_PER_UPLOAD} files at once."
    )


def _initial_stream(request: AuthenticatedRequest) -> dict[str, str]:
    stream = request.GET.get("stream", "")
    return {"stream": stream} if _is_uuid(stream) else {}


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_GET
def resume_stream(request: AuthenticatedRequest, stream_id: UUID) -> HttpResponse:
    stream = get_object_or_404(selectors.streams_for(request.user), pk=stream_id)
    versions = stream.versions.defer(*selectors.LARGE_COLUMNS).order_by("-version_number")
    return render(request, "resumes/stream.html", {"stream": stream, "versions": versions})


def _version(request: AuthenticatedRequest, version_id: UUID) -> ResumeVersion:
    return get_object_or_404(selectors.versions_for(request.user), pk=version_id)


@login_required
@require_GET
def resume_version(request: AuthenticatedRequest, version_id: UUID) -> HttpResponse:
    version = _version(request, version_id)
    return render(request, "resumes/version.html", _version_context(request, version))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def resume_version_status_hx(request: AuthenticatedRequest, version_id: UUID) -> HttpResponse:
    """The progress bar and stage list, polled by htmx; 286 stops the polling when done."""
    version = _version(request, version_id)
    if version.is_terminal and request.htmx:
        # Finished while the page polled: stop polling (286) and reload the page once,
        # with its results (HX-Refresh, what HttpResponseClientRefresh sends).
        response = HttpResponseStopPolling()
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "resumes/version.html#version-status",
        _version_context(request, version),
        status=HttpResponseStopPolling.status_code if version.is_terminal else 200,
    )


@dataclass(frozen=True)
class Outcome:
    """What became of what was read from a version, in counts the page states plainly."""

    added: int  # new entries and changes written to the profile
    already: int  # in the profile already, or read twice in the file
    waiting: int  # wait for the person's review
    skipped: int  # skipped by the person
    dropped: list[str]  # read but not kept, with why

    @classmethod
    def of(cls, decisions: list[MergeDecision], dropped: list[str]) -> Outcome:
        applied = [d for d in decisions if d.status == DecisionStatus.APPLIED]
        return cls(
            added=sum(d.wrote_to_profile for d in applied),
            already=sum(not d.wrote_to_profile for d in applied),
            waiting=sum(d.is_pending for d in decisions),
            skipped=sum(d.status == DecisionStatus.REJECTED for d in decisions),
            dropped=dropped,
        )


def _version_context(request: AuthenticatedRequest, version: ResumeVersion) -> dict[str, object]:
    diffs = {diff.comparison_type: diff for diff in version.diffs.all()}
    decisions = {
        decision.source_entity_id: decision
        for decision in MergeDecision.objects.for_user(request.user).filter(
            source_group_id=version.pk
        )
    }
    entities = list(version.parsed_entities.order_by("entity_type", "created_at"))
    extraction = version.extraction
    return {
        "version": version,
        "entities": [(entity, decisions.get(entity.pk)) for entity in entities],
        "outcome": Outcome.of(list(decisions.values()), extraction.dropped if extraction else []),
        "pending_reviews": sum(d.is_pending for d in decisions.values()),
        "diff_to_version": diffs.get(ResumeDiff.ComparisonType.VERSION_TO_VERSION),
        "diff_to_profile": diffs.get(ResumeDiff.ComparisonType.VERSION_TO_PROFILE),
    }


@login_required
@require_GET
def resume_version_download(request: AuthenticatedRequest, version_id: UUID) -> FileResponse:
    """The original file, to its owner only."""
    version = _version(request, version_id)
    if not version.storage_path or not storage.original_exists(version.storage_path):
        raise Http404("The original file is missing.")
    return FileResponse(
        storage.original_open(version.storage_path),
        as_attachment=True,
        filename=version.original_filename,
        content_type="application/octet-stream",
    )


@login_required
@require_POST
def resume_version_retry(request: AuthenticatedRequest, version_id: UUID) -> HttpResponse:
    version = _version(request, version_id)
    try:
        services.resume_version_retry(user=request.user, version=version)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Processing restarted.")
    return redirect("resume_version", version_id=version.pk)
