from __future__ import annotations

from functools import cache
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.forms import SimpleArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import capfirst

from careeros.db.rls import system_context, user_context
from careeros.db.versioning import VersionedEntity
from profiles.models import User
from profiles.services import email_taken


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
        if email_taken(email):
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


class AccountPasswordResetForm(PasswordResetForm):
    """Finds the address's account through the system alias: the request asking for a reset
    link is signed out, and the runtime role sees no account then."""

    def get_users(self, email: str) -> Any:
        with system_context():
            return list(super().get_users(email))


class AccountSetPasswordForm(SetPasswordForm):
    """Saves the new password in the account's own context (the link's request has none)."""

    def save(self, commit: bool = True) -> Any:
        with user_context(self.user.pk):
            return super().save(commit=commit)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, required=False)
    avatar_url = forms.URLField(
        label="Avatar URL", required=False, assume_scheme="https", max_length=2000
    )


# -- Versioned entities ---------------------------------------------------------------

DATE_FIELDS = {"start_date", "end_date", "issue_date", "expiration_date"}
PARTIAL_DATE = RegexValidator(
    r"^\d{4}(-(0[1-9]|1[0-2]))?$", "Use YYYY-MM (2021-03) or just the year (2021)."
)


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, ArrayField):
        # One item a line: technologies and achievements often contain commas.
        return SimpleArrayField(
            forms.CharField(),
            delimiter="\n",
            required=False,
            label=capfirst(str(field.verbose_name)),
            help_text="One a line.",
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    formfield = field.formfield(**kwargs)
    if formfield is not None and field.name in DATE_FIELDS:
        formfield.widget = forms.TextInput(attrs={"placeholder": "YYYY-MM", "size": 8})
        formfield.validators.append(PARTIAL_DATE)
    elif isinstance(formfield, forms.CharField) and field.name != "description":
        formfield.widget = forms.TextInput()
    return formfield


class EntityForm(forms.ModelForm):
    """The editable fields of one versioned entity; saving goes through the services."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.strip() or None
            elif isinstance(value, list):
                cleaned[name] = [item.strip() for item in value if item.strip()] or None
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


@cache
def entity_form_class(model: type[VersionedEntity]) -> type[EntityForm]:
    form_class = forms.modelform_factory(
        model, form=EntityForm, fields=model.content_fields, formfield_callback=_formfield
    )
    return cast(type[EntityForm], form_class)
