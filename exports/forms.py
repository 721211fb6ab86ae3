from __future__ import annotations

from typing import Any

from django import forms

from profiles.models import User


class ConfirmPasswordForm(forms.Form):
    """Re-authentication before an irreversible step: the account's password again."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted; type it again to go on."
            )
        return password
