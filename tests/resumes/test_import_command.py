"""manage.py import_resume: the same pipeline from the command line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careeros.db.rls import user_context
from profiles.models import User
from resumes.models import ResumeVersion
from tests.resumes import hostile

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_runs_the_pipeline_and_prints_the_outcome(user: User, media_root: Path) -> None:
    """A corpus PDF is imported into a named stream, completes, and the counts are printed."""
    out = StringIO()
    call_command(
        "import_resume", str(hostile.two_page_pdf()), user=user.email, stream="CLI", stdout=out
    )
    text = out.getvalue()
    assert "Uploaded dev08_resumegenerator_pdfprint.pdf as CLI v1." in text
    assert "Completed" in text
    assert "work_experience:" in text
    assert "Current profile: similarity" in text
    with user_context(user.pk):
        version = ResumeVersion.objects.get()
    assert version.upload_source == "cli"
    assert version.processing_status == "completed"


def test_import_reports_a_failed_file(user: User, media_root: Path, tmp_path: Path) -> None:
    """A file that cannot be read ends with its message as the command's error."""
    path = tmp_path / "resume.pdf"
    path.write_bytes(hostile.executable())
    with pytest.raises(CommandError, match="Windows program"):
        call_command("import_resume", str(path), user=user.email, stdout=StringIO())


def test_import_needs_a_known_user(db: None, tmp_path: Path) -> None:
    """An unknown e-mail address is an error, and nothing is imported."""
    path = tmp_path / "cv.txt"
    path.write_text("Ada")
    with pytest.raises(CommandError, match="No user"):
        call_command("import_resume", str(path), user="nobody@example.com")


def test_import_through_the_workers(user: User, pipeline_worker: str) -> None:
    """With --worker the stages run on a real Celery worker; the command waits for them."""
    out = StringIO()
    call_command(
        "import_resume", str(hostile.plain_text()), user=user.email, worker=True, stdout=out
    )
    assert "Completed" in out.getvalue()
    with user_context(user.pk):
        assert ResumeVersion.objects.get().processing_status == "completed"
