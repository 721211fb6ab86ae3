"""Sniffing and parsing an untrusted file in a child process with memory, CPU and
wall-clock limits.

``sniff_document(data, filename)`` decides the type (``resumes.files.detect``: magic
numbers, a DOCX's zip directory and XML heads) and ``parse_document(data, kind)`` reads and
extracts it; every look inside the file happens in such a child. Each forks the calling
process: the child caps its address space (RLIMIT_AS, as a budget above what the parent
already uses), its CPU time (RLIMIT_CPU) and the files it may write (RLIMIT_FSIZE 0), then
does its work (sniffing, or reading the document and running the extraction engine) and
sends the result back through a pipe. The parent kills it at the wall-clock limit. A
damaged archive, a decompression bomb, a pathological PDF or a crash in a native library (PDFium,
lxml) therefore ends the child, never the Celery worker.

Why fork and not a fresh interpreter: importing the readers and the engine takes about half
a second, which would be most of the pipeline's overhead; a forked child starts with them
already imported (``preload``) in a few milliseconds. The child touches no inherited
database or broker connection and leaves with ``os._exit`` so it never closes them.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import select
import signal
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from resumes.extraction import (
    ProviderError,
    TransientProviderError,
    get_provider,
    jsonresume,
    linkedin,
)
from resumes.extraction.schema import Extraction
from resumes.files import DAMAGED_ARCHIVE, damaged_docx_message, detect
from resumes.reading import UnreadableDocument, read_document
from resumes.schemas import Failure

# The providers that run here, on this machine; any other calls a remote AI service.
OFFLINE_PROVIDERS = ("rules", "learned")
# What the child writes to the pipe, before its result, when it starts calling the AI
# service: from then on the wall clock is the AI call's, and running out of it means the
# service did not answer, not that the file took too long. JSON never starts with it.
_AI_STARTED = b"\x1e"
# The longest the OpenAI client waits between its own retries (it honours a Retry-After
# of up to 60 s).
_CLIENT_RETRY_WAIT_SECONDS = 60


class ParseFailed(Exception):
    """Parsing did not produce a result; ``message`` is for the user, ``failure`` its kind.

    A transient one (the AI service is down) carries the service's ``retry_after``."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool = False,
        failure: Failure = Failure.PERMANENT,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.failure = failure
        self.retry_after = retry_after


@dataclass(frozen=True)
class Parsed:
    raw: str
    pages: int
    extraction: Extraction
    model_label: str


# A made-up resume the worker reads once, in-process, before forking any child.
_WARM_UP = b"""Jane Doe
jane@example.com

Experience
Engineer, Acme Corp, 2020 - 2022
- Built things

Education
BSc Computer Science, State University, 2016 - 2020

Skills
Python, SQL
"""
_preloaded = False


def preload() -> None:
    """Import every reader and warm the engine up (its first extraction compiles its
    vocabulary, about 75 ms), so forked children start warm instead of each paying it."""
    global _preloaded
    if _preloaded:
        return
    import resumes.reading.docx
    import resumes.reading.jsonresume
    import resumes.reading.layout
    import resumes.reading.linkedin
    import resumes.reading.pdf
    import resumes.reading.plain  # noqa: F401

    provider = get_provider()
    if provider.name == "rules":  # offline; a remote provider is not called for a warm-up
        provider.extract(read_document(_WARM_UP, "txt"))
    _preloaded = True


def sniff_document(data: bytes, filename: str = "") -> str:
    """The file's type (pdf, docx, txt, md) from its bytes, decided inside a limited child:
    a damaged or hostile archive ends there, with its reason in ``ParseFailed``."""
    result = _in_child(lambda: {"kind": detect(data, filename).kind})
    return str(result["kind"])


def parse_document(data: bytes, kind: str) -> Parsed:
    """Read and extract ``data`` (of detected type ``kind``) inside a limited child."""
    preload()
    provider = get_provider()

    def work() -> dict[str, Any]:
        try:
            document = read_document(data, kind)
        except DAMAGED_ARCHIVE as error:
            if kind != "docx":
                raise
            raise UnreadableDocument(damaged_docx_message(error)) from error
        if document.kind == "json":
            # A JSON Resume names its fields: it is read, not guessed at.
            extraction = jsonresume.extract(document)
            label = jsonresume.MODEL_LABEL
        elif document.kind == "linkedin":
            extraction = linkedin.extract(document)
            label = linkedin.MODEL_LABEL
        else:
            if provider.name not in OFFLINE_PROVIDERS:
                _announce_ai_call()
            extraction = provider.extract(document)
            label = provider.model_label
        return {
            "raw": document.raw,
            "pages": document.pages,
            "extraction": extraction.model_dump(mode="json"),
            "model_label": label,
        }

    result = _in_child(work)
    return Parsed(
        raw=result["raw"],
        pages=result["pages"],
        extraction=Extraction.model_validate(result["extraction"]),
        model_label=result["model_label"],
    )


_announce_fd: int | None = None  # the child's end of the pipe, while it works


def _announce_ai_call() -> None:
    """Tell the parent that the child now waits on the AI service (see ``_AI_STARTED``)."""
    if _announce_fd is not None:
        os.write(_announce_fd, _AI_STARTED)


def ai_call_seconds() -> float:
    """The longest one extraction's AI call may take: the client's timeout for each of its
    tries, and its waits between them."""
    retries = settings.OPENAI_MAX_RETRIES
    return float(
        settings.OPENAI_TIMEOUT_SECONDS * (retries + 1) + retries * _CLIENT_RETRY_WAIT_SECONDS
    )


def _in_child(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``work`` in a forked child under the limits; its result, or ``ParseFailed``.

    Once the child says it calls the AI service, the deadline becomes that call's
    (``ai_call_seconds``, from then), and a deadline or Celery's soft time limit reached
    while it waits is the service not answering (transient), never the file's fault.
    """
    preload()
    limits = settings.RESUME_PARSE_LIMITS
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python warns that fork() in a threaded process may deadlock the child on a lock
        # another thread held. The child only parses and _exits: it takes no logging, database
        # or broker lock, so the risk does not apply.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, work, limits)
    os.close(write_end)
    deadline = time.monotonic() + limits["wall_seconds"]
    chunks: list[bytes] = []
    timed_out = calling_ai = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                if not calling_ai and chunks[0].startswith(_AI_STARTED):
                    calling_ai = True
                    deadline = time.monotonic() + ai_call_seconds()
    except SoftTimeLimitExceeded:
        with contextlib.suppress(ProcessLookupError):  # it may have ended meanwhile
            os.kill(pid, signal.SIGKILL)
        if not calling_ai:
            raise
        timed_out = True
    finally:
        os.close(read_end)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped by someone else's SIGCHLD handler
            status = 0
    return _outcome(b"".join(chunks).lstrip(_AI_STARTED), status, timed_out, limits, calling_ai)


def _outcome(
    payload: bytes, status: int, timed_out: bool, limits: dict[str, int], calling_ai: bool
) -> dict[str, Any]:
    if timed_out and calling_ai:
        raise ParseFailed(
            "The AI service did not answer in time.",
            transient=True,
            failure=Failure.AI_UNAVAILABLE,
        )
    if timed_out:
        raise ParseFailed(
            f"Reading this file took longer than {limits['wall_seconds']} seconds; "
            "it was stopped. Try exporting the resume to PDF again.",
            failure=Failure.TOO_LONG,
        )
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGXCPU, signal.SIGKILL):
            raise ParseFailed(
                "Reading this file needed too much processing time; it was stopped. "
                "Try exporting the resume to PDF again.",
                failure=Failure.TOO_LONG,
            )
        raise ParseFailed(
            "This file made the document reader crash: it may be damaged, or built to "
            "exhaust memory. Try exporting the resume to PDF again."
        )
    try:
        result: dict[str, Any] = json.loads(payload)
    except ValueError:
        raise ParseFailed(
            "This file could not be read; it may be damaged. Try exporting it to PDF again."
        ) from None
    if "error" in result:
        raise ParseFailed(
            result["error"],
            transient=bool(result.get("transient")),
            failure=Failure(result.get("failure", Failure.PERMANENT)),
            retry_after=result.get("retry_after"),
        )
    return result


def _child(fd: int, work: Callable[[], dict[str, Any]], limits: dict[str, int]) -> None:
    global _announce_fd
    code = 0
    _announce_fd = fd
    try:
        _die_with_parent()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        budget = limits["memory_mb"] * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + budget,) * 2)
        cpu = limits["cpu_seconds"]
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
        try:
            result = work()
        except UnreadableDocument as error:
            result = {"error": error.message}
        except MemoryError:
            result = {
                "error": "Reading this file needed more memory than a resume ever should; "
                "it was stopped. It may be damaged or built to exhaust memory."
            }
        except TransientProviderError as error:
            result = {
                "error": str(error),
                "transient": True,
                "failure": Failure.AI_UNAVAILABLE.value,
                "retry_after": error.retry_after,
            }
        except ProviderError as error:
            result = {"error": f"The extraction service failed: {error}"}
        except Exception:
            result = {
                "error": "This file could not be read; it may be damaged. "
                "Try exporting it to PDF again."
            }
        payload = json.dumps(result).encode()
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _address_space() -> int:
    """This process's current virtual memory size in bytes."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL the child if the worker dies (kill -9) while it parses."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
