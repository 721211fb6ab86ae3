"""Sign-up, sign-in, sign-out, password change and reset, and failed sign-in limits."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from careeros.db.rls import system_context, user_context
from profiles.models import User
from tests.factories import PASSWORD, UserFactory, profile_of

# Sign-in, sign-up and reset look addresses up through the system login, a second
# connection: it sees only committed accounts.
pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def test_sign_up_creates_account_and_profile_and_signs_in(client: Client) -> None:
    """A new person signs up and lands on their dashboard, signed in, with a profile."""
    response = client.post(
        reverse("sign_up"),
        {
            "email": "New.Person@Example.com",
            "full_name": "New Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    with system_context():
        user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert profile_of(user).full_name == "New Person"
    assert response.context["user"] == user
    assert b"New Person" in response.content


def test_sign_up_rejects_an_existing_email_in_any_case(client: Client) -> None:
    """Signing up twice with one address, in another case, explains what to do instead."""
    UserFactory(email="taken@example.com")
    response = client.post(
        reverse("sign_up"),
        {"email": "TAKEN@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    with system_context():
        assert User.objects.count() == 1


def test_sign_up_rejects_a_weak_password(client: Client) -> None:
    """A common password is refused with the validator's reason."""
    response = client.post(
        reverse("sign_up"),
        {"email": "weak@example.com", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_sign_in_with_email_in_any_case(client: Client) -> None:
    """The e-mail address signs in whatever its case."""
    user = UserFactory(email="ada@example.com")
    response = client.post(
        reverse("login"), {"username": "ADA@Example.com", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.context["user"] == user


def test_sign_in_with_a_wrong_password_says_so(client: Client) -> None:
    """A wrong password keeps the person on the sign-in page with an error."""
    UserFactory(email="ada@example.com")
    response = client.post(reverse("login"), {"username": "ada@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "correct e-mail address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(signed_in: Client) -> None:
    """Signing out (a POST) ends the session; the profile then asks to sign in."""
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    response = signed_in.get(reverse("profile_overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_repeated_failed_sign_ins_are_refused_for_a_while(client: Client) -> None:
    """After five wrong passwords, in any mix of cases, even the right one is refused."""
    email = f"target-{uuid.uuid4().hex}@example.com"
    UserFactory(email=email)
    for attempt in range(5):
        spelling = email.upper() if attempt % 2 else email
        client.post(reverse("login"), {"username": spelling, "password": "wrong"})
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "Wait 15 minutes and try again" in response.content.decode()
    assert "PT15M" not in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_against_one_account_do_not_lock_another(client: Client) -> None:
    """The limit is per account and address: another person still signs in."""
    victim = f"victim-{uuid.uuid4().hex}@example.com"
    bystander = UserFactory(email=f"bystander-{uuid.uuid4().hex}@example.com")
    UserFactory(email=victim)
    for _ in range(6):
        client.post(reverse("login"), {"username": victim, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": bystander.email, "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == bystander


def test_password_change(signed_in: Client, user: User) -> None:
    """A signed-in person changes their password and signs in with the new one."""
    new_password = "a different long passphrase"
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    with user_context(user.pk):
        user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_by_email(client: Client) -> None:
    """A reset e-mail carries a one-time link that sets a new password."""
    user = UserFactory.create(email="forgetful@example.com")
    client.post(reverse("password_reset"), {"email": "forgetful@example.com"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["forgetful@example.com"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link is not None
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    new_password = "a brand new passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    with user_context(user.pk):
        user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing(client: Client) -> None:
    """Asking for a reset of an unknown address looks the same and sends no e-mail."""
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
