from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from profiles.models import User


class SignUpForm(BaseUserCreationForm):
    full_name = forms.CharField(label="Full name", max_length=200, required=False)

    class Meta:
        model = User
        fields = ("email",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", autofocus=True)
        self.fields["full_name"].widget.attrs.update(autocomplete="name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail address already exists. Sign in instead, "
                "or reset your password if you have forgotten it."
            )
        return email


class SignInForm(AuthenticationForm):
    """Django's sign-in form, labelled for e-mail addresses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, required=False)
    avatar_url = forms.URLField(
        label="Avatar URL", required=False, assume_scheme="https", max_length=2000
    )
