"""Operators' reads of user data through the admin leave an audit row each."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from careeros.db.rls import system_context, user_context
from careeros.models import AdminAccess
from profiles.models import User
from tests.factories import make_user

# The admin writes its audit rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operators_reads_are_audited_and_a_persons_attempt_is_not_shown(
    client: Client, user: User, other_user: User
) -> None:
    operator = User.objects.create_superuser("ops@example.com", "x-ops-password-1")
    client.force_login(operator)
    assert client.get(reverse("admin:profiles_user_changelist")).status_code == 200
    change = reverse("admin:profiles_user_change", args=[user.pk])
    assert client.get(change).status_code == 200
    with system_context():
        rows = list(AdminAccess.objects.order_by("accessed_at"))
    assert [(row.method, row.path, row.operator_id) for row in rows] == [
        ("GET", reverse("admin:profiles_user_changelist"), operator.pk),
        ("GET", change, operator.pk),
    ]
    assert rows[1].object_id == str(user.pk)
    assert rows[1].view == "admin:profiles_user_change"
    assert rows[1].status_code == 200

    # A person without operator rights is sent to the admin sign-in: nothing read, no row.
    person = Client()
    person.force_login(other_user)
    assert person.get(change).status_code == 302
    with system_context():
        assert AdminAccess.objects.count() == 2


def test_the_runtime_role_can_neither_read_nor_forge_audit_rows(user: User) -> None:
    make_user(email="someone@example.com")
    operator = User.objects.create_superuser("ops2@example.com", "x-ops-password-1")
    client = Client()
    client.force_login(operator)
    client.get(reverse("admin:index"))
    with user_context(user.pk):
        assert not AdminAccess.objects.exists()
    with user_context(operator.pk):
        assert not AdminAccess.objects.exists()  # not even the operator, outside the admin
    with pytest.raises(DatabaseError, match="row-level security"), user_context(operator.pk):
        AdminAccess.objects.create(operator_email="forged", method="GET", path="/", view="x")
    with system_context():
        assert AdminAccess.objects.count() == 1
