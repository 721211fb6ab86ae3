"""The admin shows operators the vault's metadata, read-only, and never a secret."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from careeros.db.rls import system_context
from careeros.vault.models import DataKey
from careeros.vault.services import vault_store
from profiles.models import User
from tests.careeros.vault.conftest import Ring

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "I was let go after the merger"


def forms(data: bytes) -> list[str]:
    return [data.hex(), base64.b64encode(data).decode(), repr(data)[2:-1]]


@pytest.fixture
def operator(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("ops@example.com", "x-ops-password-1"))
    return client


def test_operators_see_metadata_and_no_secret(operator: Client, ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose="interview_transcript", plaintext=SECRET)
    with system_context():
        data_key = DataKey.objects.get(user=user)
    pages = [
        operator.get(reverse("admin:vault_encrypteddata_changelist")),
        operator.get(reverse("admin:vault_encrypteddata_change", args=[record.pk])),
        operator.get(reverse("admin:vault_datakey_changelist")),
        operator.get(reverse("admin:vault_datakey_change", args=[data_key.pk])),
    ]
    assert [page.status_code for page in pages] == [200] * 4
    html = "".join(page.content.decode() for page in pages)
    assert "interview_transcript" in html
    assert str(record.pk) in html
    assert "k1" in html  # the ring key id is metadata
    secrets = [SECRET, *forms(ring.keys["k1"])]
    for data in [
        bytes(record.encrypted_content),
        bytes(record.initialization_vector or b""),
        bytes(data_key.wrapped_key),
        bytes(data_key.wrap_nonce),
    ]:
        secrets += forms(data)
    assert [s for s in secrets if s in html] == []


def test_the_admin_cannot_add_change_or_delete(operator: Client, ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose="interview_transcript", plaintext=SECRET)
    change = reverse("admin:vault_encrypteddata_change", args=[record.pk])
    assert operator.get(reverse("admin:vault_encrypteddata_add")).status_code == 403
    assert operator.post(change, {"purpose": "x"}).status_code == 403
    delete = reverse("admin:vault_encrypteddata_delete", args=[record.pk])
    assert operator.post(delete, {"post": "yes"}).status_code == 403
    with system_context():
        record.refresh_from_db()
    assert record.purpose == "interview_transcript"


def test_people_without_operator_rights_are_sent_away(
    client: Client, ring: Ring, user: User
) -> None:
    client.force_login(user)
    response = client.get(reverse("admin:vault_encrypteddata_changelist"))
    assert response.status_code == 302
