"""Where original resume files live: Django's default storage (local files, or S3 through
django-storages when AWS_STORAGE_BUCKET_NAME is set). The only module that touches it.

Paths carry the owner's and the version's ids, never anything the user chose except a
sanitised file name, and the storage is private: files leave only through the download
view, which checks ownership.
"""

from __future__ import annotations

import contextlib
import os
from typing import IO
from uuid import UUID

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename


def safe_name(filename: str) -> str:
    """A file name without folders or characters a storage would choke on."""
    try:
        safe = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    except SuspiciousFileOperation:  # "..", or nothing usable left
        safe = "resume"
    return safe[-100:]


def original_path(*, user_id: UUID, version_id: UUID, filename: str) -> str:
    return f"resumes/{user_id}/{version_id}/{safe_name(filename)}"


def original_save(*, path: str, content: IO[bytes]) -> str:
    """Store the original file; returns the name the storage chose."""
    return default_storage.save(path, File(content))


def stored_save(*, path: str, content: IO[bytes]) -> str:
    """Store a file CareerOS made (a data archive); returns the name the storage chose."""
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


def stored_delete(path: str) -> int:
    """Delete one stored file; 1 if it existed, else 0."""
    if not path or not default_storage.exists(path):
        return 0
    default_storage.delete(path)
    return 1


def stored_delete_tree(prefix: str) -> int:
    """Delete every file under ``prefix`` (a user's or a version's folder); the count."""
    try:
        folders, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    count = 0
    for name in files:
        count += stored_delete(f"{prefix}/{name}")
    for folder in folders:
        count += stored_delete_tree(f"{prefix}/{folder}")
    # Local files: the emptied folder too (object stores have no folders).
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(prefix))
    return count
