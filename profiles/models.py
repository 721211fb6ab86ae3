"""Accounts and the person's profile.

``User`` is the sign-in identity (the seed's ``auth.users``); ``Profile`` is the seed's
``profiles`` table, keyed by the user's id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.functions import Lower, Now

from careeros.db.rls import user_context
from careeros.db.versioning import VersionedEntity


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses sign in case-insensitively.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        if self._db in (None, DEFAULT_DB_ALIAS):
            # Row level security admits a users row only as the user it is.
            with user_context(user.pk):
                user.save()
        else:
            user.save(using=self._db)  # createsuperuser, through the system alias
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("e-mail address", unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "operator", default=False, help_text="Operators may sign in to the admin site."
    )
    date_joined = models.DateTimeField(db_default=Now())

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        db_table = "users"
        constraints = [models.UniqueConstraint(Lower("email"), name="users_email_lower_unique")]

    def __str__(self) -> str:
        return self.email


# The reader's confidence from which a new entity joins the profile without review: the
# offline extractor's calibrated probabilities put about nine in ten entities it is this
# sure of right, which is what a person can trust without looking.
DEFAULT_NEW_ENTITY_CONFIDENCE = Decimal("0.80")


class Profile(models.Model):
    """The seed's ``profiles``: what a person shows of themselves."""

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.DB_CASCADE, db_column="id", related_name="profile"
    )
    email = models.TextField(unique=True)
    full_name = models.TextField(null=True, blank=True)  # noqa: DJ001 - the seed allows NULL
    avatar_url = models.TextField(null=True, blank=True)  # noqa: DJ001
    # CareerOS's addition: apply merge suggestions at or above this confidence without
    # review (NULL: every near match waits for the person).
    merge_auto_apply_threshold = models.DecimalField(
        "apply suggestions automatically from confidence",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.50")), MaxValueValidator(Decimal("1.00"))],
    )
    # A new entity read with less confidence than this (or that fails its type's checks)
    # waits for review instead of entering the profile by itself.
    new_entity_min_confidence = models.DecimalField(
        "add new entries by themselves from confidence",
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_NEW_ENTITY_CONFIDENCE,
        db_default=DEFAULT_NEW_ENTITY_CONFIDENCE,
        validators=[MinValueValidator(Decimal("0.50")), MaxValueValidator(Decimal("1.00"))],
    )
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    # Its key is the owner's id (careeros.db.rls).
    rls_owned_through: ClassVar[str] = "user"

    class Meta:
        db_table = "profiles"

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


# -- The versioned career profile ------------------------------------------------------


def _text(verbose_name: str, **kwargs: Any) -> models.TextField[Any, Any]:
    """An optional TEXT column: NULL in the database when a person leaves it empty."""
    return models.TextField(verbose_name, null=True, blank=True, **kwargs)


class Basics(VersionedEntity):
    """What a resume says of the person at its top: one logical entity per user (the
    account's e-mail and display name stay on ``Profile``)."""

    headline = _text("headline", help_text="e.g. Data engineer")
    summary = _text("summary")
    email = _text("e-mail on your resume")
    phone = _text("phone")
    location = _text("location")
    # One link an item, "Label: URL" ("GitHub: https://github.com/ada") or the URL alone.
    links = ArrayField(models.TextField(), null=True, blank=True, verbose_name="links")

    content_fields = ("headline", "summary", "email", "phone", "location", "links")
    label_field = "headline"
    search_fields = ("headline", "summary")

    class Meta(VersionedEntity.Meta):
        db_table = "basics"
        verbose_name = "basics"
        verbose_name_plural = "basics"
        constraints = [
            *VersionedEntity.versioning_constraints("basics"),
            # One current basics per person: every upload proposes changes to it.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_current=True), name="basics_one_per_user"
            ),
        ]
        indexes = VersionedEntity.versioning_indexes("basics")

    def __str__(self) -> str:
        return self.headline or "Your basics"

    def link_items(self) -> list[Link]:
        return [Link.parse(item) for item in self.links or []]


@dataclass(frozen=True)
class Link:
    """One of ``Basics.links``: "GitHub: https://github.com/ada" is labelled GitHub."""

    label: str
    url: str

    @classmethod
    def parse(cls, item: str) -> Link:
        label, sep, rest = item.partition(": ")
        if sep and label.strip() and "//" not in label:
            return cls(label.strip(), rest.strip())
        return cls("", item.strip())

    def __str__(self) -> str:
        return f"{self.label}: {self.url}" if self.label else self.url


class WorkExperience(VersionedEntity):
    title = models.TextField("job title")
    company = models.TextField()
    location = _text("location")
    start_date = _text("start date", help_text="YYYY-MM or YYYY")
    end_date = _text("end date", help_text="YYYY-MM or YYYY; empty while current")
    description = _text("description")

    content_fields = ("title", "company", "location", "start_date", "end_date", "description")
    label_field = "title"
    search_fields = ("title", "company", "description")

    class Meta(VersionedEntity.Meta):
        db_table = "work_experience"
        verbose_name = "work experience"
        verbose_name_plural = "work experience"
        constraints = VersionedEntity.versioning_constraints("work_experience")
        indexes = [
            *VersionedEntity.versioning_indexes("work_experience"),
            GinIndex(
                fields=["title"],
                opclasses=["gin_trgm_ops"],
                name="idx_work_experience_title_search",
            ),
            GinIndex(
                fields=["company"],
                opclasses=["gin_trgm_ops"],
                name="idx_work_experience_company_search",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"


class Education(VersionedEntity):
    institution = models.TextField()
    degree = _text("degree")
    field_of_study = _text("field of study")
    start_date = _text("start date", help_text="YYYY-MM or YYYY")
    end_date = _text("end date", help_text="YYYY-MM or YYYY")
    gpa = _text("GPA")
    description = _text("description")

    content_fields = (
        "institution",
        "degree",
        "field_of_study",
        "start_date",
        "end_date",
        "gpa",
        "description",
    )
    label_field = "institution"
    search_fields = ("institution", "degree", "field_of_study")

    class Meta(VersionedEntity.Meta):
        db_table = "education"
        verbose_name = "education"
        verbose_name_plural = "education"
        constraints = VersionedEntity.versioning_constraints("education")
        indexes = [
            *VersionedEntity.versioning_indexes("education"),
            GinIndex(
                fields=["institution"],
                opclasses=["gin_trgm_ops"],
                name="idx_education_institution_search",
            ),
        ]

    def __str__(self) -> str:
        degree = " ".join(part for part in (self.degree, self.field_of_study) if part)
        return f"{degree}, {self.institution}" if degree else self.institution


class Skill(VersionedEntity):
    name = models.TextField()
    category = _text("category", help_text="e.g. programming, framework, soft skill")
    proficiency_level = _text(
        "proficiency", help_text="e.g. beginner, intermediate, advanced, expert"
    )
    years_of_experience = models.IntegerField(
        "years of experience", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    context = _text("context", help_text="How and where you used it")

    content_fields = ("name", "category", "proficiency_level", "years_of_experience", "context")
    label_field = "name"
    search_fields = ("name", "category", "context")

    class Meta(VersionedEntity.Meta):
        db_table = "skill"
        constraints = VersionedEntity.versioning_constraints("skill")
        indexes = [
            *VersionedEntity.versioning_indexes("skill"),
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="idx_skill_name_search"),
        ]


class Project(VersionedEntity):
    title = models.TextField()
    description = _text("description")
    technologies = ArrayField(models.TextField(), null=True, blank=True)
    start_date = _text("start date", help_text="YYYY-MM or YYYY")
    end_date = _text("end date", help_text="YYYY-MM or YYYY")
    url = _text("URL", help_text="Project page or repository")
    role = _text("role")
    achievements = ArrayField(models.TextField(), null=True, blank=True)

    content_fields = (
        "title",
        "description",
        "technologies",
        "start_date",
        "end_date",
        "url",
        "role",
        "achievements",
    )
    label_field = "title"
    search_fields = ("title", "description", "role")

    class Meta(VersionedEntity.Meta):
        db_table = "project"
        constraints = VersionedEntity.versioning_constraints("project")
        indexes = [
            *VersionedEntity.versioning_indexes("project"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="idx_project_title_search"),
        ]


class Certification(VersionedEntity):
    name = models.TextField()
    issuing_organization = models.TextField("issuing organization")
    credential_id = _text("credential ID")
    issue_date = _text("issue date", help_text="YYYY-MM or YYYY")
    expiration_date = _text("expiration date", help_text="YYYY-MM or YYYY")
    credential_url = _text("credential URL")
    description = _text("description")

    content_fields = (
        "name",
        "issuing_organization",
        "credential_id",
        "issue_date",
        "expiration_date",
        "credential_url",
        "description",
    )
    label_field = "name"
    search_fields = ("name", "issuing_organization")

    class Meta(VersionedEntity.Meta):
        db_table = "certification"
        constraints = VersionedEntity.versioning_constraints("certification")
        indexes = [
            *VersionedEntity.versioning_indexes("certification"),
            GinIndex(
                fields=["name"], opclasses=["gin_trgm_ops"], name="idx_certification_name_search"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuing_organization})"


class ConfirmationMethod(models.TextChoices):
    MANUAL_REVIEW = "manual_review", "reviewed by you"
    INTERVIEW_COMPLETION = "interview_completion", "after an interview"
    PERIODIC_UPDATE = "periodic_update", "periodic update"


class UserConfirmedProfile(models.Model):
    """The seed's ``user_confirmed_profile``: the profile as its owner last confirmed it.

    ``profile_snapshot`` is a ``profiles.snapshots.ProfileSnapshot`` (every current entity
    with its logical id, version and fields). One row per user.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.DB_CASCADE, related_name="confirmed_profile")
    profile_snapshot = models.JSONField()
    confirmation_method = models.TextField(  # noqa: DJ001 - the seed allows NULL
        choices=ConfirmationMethod, null=True, blank=True
    )
    completeness_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    # When the profile last changed before it was confirmed (its newest version).
    last_major_update = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "user_confirmed_profile"

    def __str__(self) -> str:
        return f"confirmed profile of {self.user_id}"
