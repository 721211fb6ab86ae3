from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from merges.models import DecisionStatus, MergeDecision
from profiles.http import AuthenticatedRequest
from resumes import selectors, services, storage
from resumes.files import SizeCappedUploadHandler
from resumes.forms import UploadForm
from resumes.models import ResumeDiff, ResumeStream, ResumeVersion


@login_required
@require_GET
def resume_index(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "resumes/index.html", {"streams": selectors.streams_for(request.user)})


@login_required
@require_GET
def resume_dashboard_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard's Resumes card: the latest streams, and the last batch uploaded while
    it is being read (the card polls itself; 286 stops it once every file is read)."""
    streams = selectors.streams_for(request.user)[:5]
    batch = selectors.batch_progress(
        user=request.user, version_ids=selectors.last_batch_ids(request.session)
    )
    return render(
        request,
        "resumes/index.html#resume-card",
        {"streams": streams, "batch": batch},
        # Loaded once when there is nothing to follow; polled (and stopped) while there is.
        status=_polling_status(batch) if batch is not None else 200,
    )


def _polling_status(batch: selectors.BatchProgress | None) -> int:
    """200 while the batch is being read; 286 (htmx stops polling) once it is, or if none."""
    return 200 if batch is not None and not batch.is_done else HttpResponseStopPolling.status_code


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
        return _upload_page(request, form)
    form = UploadForm(request.POST, request.FILES, user=user, max_files=max_files)
    limit = _megabytes(settings.RESUME_MAX_UPLOAD_BYTES)
    refused = [
        f"{name} is too large to upload: a file may be at most {limit}. It was left out."
        # Left out by the server's cap, or already by the page's script before sending.
        for name in [
            *getattr(request, "upload_refused", []),
            *request.POST.getlist("left_out")[:max_files],
        ]
    ]
    if getattr(request, "upload_too_large", False):
        problems = [_too_large(getattr(request, "upload_refusal", "file"), user)]
        return _upload_page(request, UploadForm(user=user, max_files=max_files), problems, 413)
    if refused and not request.FILES:
        return _upload_page(request, UploadForm(user=user, max_files=max_files), refused, 413)
    if not form.is_valid():
        problems = [
            str(error)
            for name, errors in form.errors.items()
            for error in errors
            if name != "documents" or not refused
        ]
        return _upload_page(request, form, refused + problems, 422)
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
    # The stream page and the dashboard follow this batch until every file is read.
    request.session[selectors.BATCH_SESSION_KEY] = [str(version.pk) for version in versions]
    for problem in refused:
        messages.warning(request, problem)
    if len(versions) == 1 and not refused:
        target = reverse("resume_version", kwargs={"version_id": versions[0].pk})
    else:
        count = len(versions)
        messages.success(
            request, f"{count} file{pluralize(count)} uploaded to “{stream.name}”; being read now."
        )
        target = reverse("resume_stream", kwargs={"stream_id": stream.pk})
    if request.htmx:
        # The page's script posted the form itself (so an error keeps the chosen files);
        # it follows this header.
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


def _megabytes(size: int) -> str:
    return str(filesizeformat(size)).replace(".0\xa0", "\xa0")


def _upload_page(
    request: AuthenticatedRequest,
    form: UploadForm,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The upload page, or for the page's script only the list of what went wrong (the
    form in the browser, with its chosen files, stays as it is)."""
    context = {
        "form": form,
        "problems": problems or [],
        "max_bytes": settings.RESUME_MAX_UPLOAD_BYTES,
        "max_size": _megabytes(settings.RESUME_MAX_UPLOAD_BYTES),
    }
    template = "resumes/upload.html#upload-problems" if request.htmx else "resumes/upload.html"
    return render(request, template, context, status=status)


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


def _stream_batch(
    request: AuthenticatedRequest, stream: ResumeStream
) -> selectors.BatchProgress | None:
    """The versions of ``stream`` the person last uploaded together, or else those of it
    still being read."""
    ids = selectors.last_batch_ids(request.session)
    batch = selectors.batch_progress(
        user=request.user,
        version_ids=[
            str(pk) for pk in stream.versions.filter(pk__in=ids).values_list("pk", flat=True)
        ]
        if ids
        else [],
    )
    if batch is None:
        unfinished = stream.versions.unfinished().values_list("pk", flat=True)
        batch = selectors.batch_progress(
            user=request.user, version_ids=[str(pk) for pk in unfinished]
        )
    return batch


def _stream_context(request: AuthenticatedRequest, stream: ResumeStream) -> dict[str, object]:
    versions = stream.versions.defer(*selectors.LARGE_COLUMNS).order_by("-version_number")
    return {"stream": stream, "versions": versions, "batch": _stream_batch(request, stream)}


@login_required
@require_GET
def resume_stream(request: AuthenticatedRequest, stream_id: UUID) -> HttpResponse:
    stream = get_object_or_404(selectors.streams_for(request.user), pk=stream_id)
    return render(request, "resumes/stream.html", _stream_context(request, stream))


@login_required
@require_GET
def resume_stream_status_hx(request: AuthenticatedRequest, stream_id: UUID) -> HttpResponse:
    """Every version of the stream and how far the batch has got, in one request polled by
    htmx; 286 stops the polling once every file of the batch is read."""
    stream = get_object_or_404(selectors.streams_for(request.user), pk=stream_id)
    context = _stream_context(request, stream)
    batch = context["batch"]
    assert batch is None or isinstance(batch, selectors.BatchProgress)
    return render(
        request, "resumes/stream.html#stream-live", context, status=_polling_status(batch)
    )


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
    """Restart a failed version from the stage that failed (its owner only: 404 for anyone
    else). Over htmx it answers the status partial, which then polls the new run."""
    version = _version(request, version_id)
    try:
        version = services.resume_version_retry(user=request.user, version=version)
    except ValueError as error:
        if request.htmx:
            context = {**_version_context(request, version), "retry_error": str(error)}
            return render(request, "resumes/version.html#version-status", context)
        messages.error(request, str(error))
    else:
        if request.htmx:
            return render(
                request, "resumes/version.html#version-status", _version_context(request, version)
            )
        messages.success(request, "Processing restarted.")
    return redirect("resume_version", version_id=version.pk)


@login_required
@require_POST
def resume_stream_rename(request: AuthenticatedRequest, stream_id: UUID) -> HttpResponse:
    stream = get_object_or_404(selectors.streams_for(request.user), pk=stream_id)
    try:
        services.resume_stream_rename(
            user=request.user,
            stream=stream,
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
        )
    except ValueError as error:
        messages.error(request, f"{error} The stream keeps its name.")
    else:
        messages.success(request, "Stream renamed.")
    return redirect("resume_stream", stream_id=stream.pk)


@login_required
@require_POST
def resume_stream_delete(request: AuthenticatedRequest, stream_id: UUID) -> HttpResponse:
    stream = get_object_or_404(selectors.streams_for(request.user), pk=stream_id)
    marked = services.resume_stream_delete(user=request.user, stream=stream)
    messages.success(
        request,
        f"Deleted “{stream.name}” with its files. Your profile keeps what they added "
        f"({marked} version{'s' if marked != 1 else ''} now say their source was removed).",
    )
    return redirect("resume_index")


@login_required
@require_POST
def resume_version_delete(request: AuthenticatedRequest, version_id: UUID) -> HttpResponse:
    version = _version(request, version_id)
    stream_id = version.stream_id
    marked = services.resume_version_delete(user=request.user, version=version)
    messages.success(
        request,
        f"Deleted {version.original_filename} (v{version.version_number}) with its file and "
        f"what was read from it. Your profile keeps what it added ({marked} version"
        f"{'s' if marked != 1 else ''} now say their source was removed).",
    )
    return redirect("resume_stream", stream_id=stream_id)
