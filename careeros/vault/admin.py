"""Operators see the vault's metadata, read-only: never a ciphertext, nonce or key."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from careeros.vault.models import DataKey, EncryptedData


class MetadataOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete; the secret columns are not even on the page."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EncryptedData)
class EncryptedDataAdmin(MetadataOnlyAdmin):
    list_display = (
        "id",
        "user",
        "purpose",
        "content_type",
        "content_size",
        "key_id",
        "created_at",
        "expires_at",
    )
    list_filter = ("purpose", "encryption_method")
    list_select_related = ("user",)
    search_fields = ("user__email", "=id", "=key_id")
    fields = readonly_fields = (
        "id",
        "user",
        "purpose",
        "content_type",
        "content_size",
        "encryption_method",
        "key_id",
        "created_at",
        "expires_at",
    )


@admin.register(DataKey)
class DataKeyAdmin(MetadataOnlyAdmin):
    list_display = ("id", "user", "master_key_id", "created_at", "rewrapped_at")
    list_filter = ("master_key_id",)
    list_select_related = ("user",)
    search_fields = ("user__email", "=id")
    fields = readonly_fields = ("id", "user", "master_key_id", "created_at", "rewrapped_at")
