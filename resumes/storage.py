"""Where original resume files live: Django's default storage (local files, or S3 through
django-storages when AWS_STORAGE_BUCKET_NAME is set). The only module that touches it.

Paths carry the owner's and the version's ids, never anything the user chose except a
sanitised file name, and the storage is private: files leave only through the download
view, which checks ownership.
"""

from __future__ import annotations

from typing import IO
from uuid import UUID

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename


def original_path(*, user_id: UUID, version_id: UUID, filename: str) -> str:
    try:
        safe = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    except SuspiciousFileOperation:  # "..", or nothing usable left
        safe = "resume"
    return f"resumes/{user_id}/{version_id}/{safe[-100:]}"


def original_save(*, path: str, content: IO[bytes]) -> str:
    """Store the original file; returns the name the storage chose."""
    return default_storage.save(path, File(content))


def original_read(path: str, *, limit: int) -> bytes:
    """The stored file's bytes, reading at most ``limit`` + 1 of them."""
    with default_storage.open(path, "rb") as stored:
        data: bytes = stored.read(limit + 1)
    return data


def original_open(path: str) -> IO[bytes]:
    return default_storage.open(path, "rb")


def original_exists(path: str) -> bool:
    return bool(default_storage.exists(path))
