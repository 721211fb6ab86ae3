from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from profiles.models import User
from resumes.files import ACCEPTED_EXTENSIONS
from resumes.models import ResumeStream


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError("Choose at least one resume file.", code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


# Where a first upload goes when the person names no stream: nothing to decide to begin.
DEFAULT_STREAM_NAME = "My resume"


class UploadForm(forms.Form):
    """Files into an existing stream of the user's, or a new one (by default "My resume").

    The file type is not judged here: the bytes are, by the pipeline's upload stage, so a
    mislabelled file ends as a failed version that says why.
    """

    documents = MultipleFileField(
        label="Resume files",
        # An empty file becomes a version that fails with "The file is empty.", like every
        # other unreadable file, instead of a form error that a batch upload would hide.
        allow_empty_file=True,
        help_text="PDF, DOCX, TXT, Markdown, JSON Resume (.json) or a LinkedIn data export (.zip); "
        "several at once, up to 10 MB each.",
        widget=MultipleFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    stream = forms.ModelChoiceField(
        queryset=ResumeStream.objects.none(),
        required=False,
        empty_label="A new stream…",
        label="Stream",
    )
    new_stream_name = forms.CharField(
        label="New stream name",
        max_length=200,
        required=False,
        help_text=f"Optional; “{DEFAULT_STREAM_NAME}” if left empty. E.g. Backend roles",
    )
    new_stream_description = forms.CharField(
        label="Description",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, max_files: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_files = max_files
        field = self.fields["stream"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ResumeStream.objects.for_user(user).order_by("name")
        # Later uploads go, unless the person chooses otherwise, where the last one went.
        if not self.is_bound and "stream" not in self.initial:
            latest = ResumeStream.objects.for_user(user).order_by("-updated_at").first()
            if latest is not None:
                self.initial["stream"] = latest.pk
        self.has_streams = field.queryset.exists()

    def clean_documents(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["documents"]
        if len(files) > self.max_files:
            raise forms.ValidationError(f"Upload at most {self.max_files} files at once.")
        return files

    def clean_new_stream_name(self) -> str:
        return str(self.cleaned_data.get("new_stream_name") or "").strip() or DEFAULT_STREAM_NAME
