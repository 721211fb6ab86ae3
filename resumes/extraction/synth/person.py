"""A fictional person: everything a template may choose to print.

Dates are ``(year, month)`` with ``month`` None when only the year is known; an entry's
``end`` is None with ``current`` True for "– Present", None with ``current`` False when no
end is known. Templates print a subset and decide formats; the ground truth records only
what was printed (``doc.Doc``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

YearMonth = tuple[int, int | None]


@dataclass
class Period:
    start: YearMonth | None = None
    end: YearMonth | None = None
    current: bool = False
    # A single printed date (a certificate's issue date, an award), not a range.
    single: bool = False


@dataclass
class Location:
    city: str | None = None
    region: str | None = None
    country: str | None = None  # printed name ("Germany", "Deutschland")
    country_code: str | None = None  # ISO alpha-2 of ``country``
    postal_code: str | None = None
    address: str | None = None  # street and number


@dataclass
class SocialProfile:
    network: str  # "LinkedIn", "GitHub", "Xing", "GitLab", "Mastodon"…
    username: str
    url: str


@dataclass
class Basics:
    name: str
    label: str | None = None  # headline
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    location: Location = field(default_factory=Location)
    profiles: list[SocialProfile] = field(default_factory=list)
    summary: str | None = None


@dataclass
class SubBlock:
    """A labelled block inside a job ("Key achievements:", "Tech stack:", "Summary:")."""

    label: str
    kind: str  # "highlights" | "keywords" | "summary"
    items: list[str] = field(default_factory=list)


@dataclass
class Position:
    """One position; several roles may share an employer."""

    position: str
    period: Period = field(default_factory=Period)
    location: str | None = None
    summary: str | None = None  # unbulleted description, may be several sentences
    highlights: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # per-job tech stack (never scored)
    blocks: list[SubBlock] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)  # projects printed inside the job


@dataclass
class Job:
    employer: str
    roles: list[Position]
    location: str | None = None
    volunteer: bool = False  # printed in a volunteering / activities section


@dataclass
class Degree:
    institution: str
    study_type: str | None = None  # as printed: "BSc", "Master of Science", "Licence"
    area: str | None = None
    period: Period = field(default_factory=Period)
    location: str | None = None
    score: str | None = None  # "3.8", "1,7", "3.97/4.00"
    score_label: str | None = None  # "GPA", "Note", "Moyenne"
    courses: list[str] = field(default_factory=list)  # never scored
    thesis: str | None = None  # never scored


@dataclass
class SkillGroup:
    name: str | None  # the group's label; None for an unlabelled list
    keywords: list[str] = field(default_factory=list)
    level: str | None = None  # printed as a word ("Expert", "Fluent")


@dataclass
class Project:
    name: str
    description: str | None = None
    period: Period = field(default_factory=Period)
    url: str | None = None
    roles: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class Certificate:
    name: str
    issuer: str | None = None
    issued: YearMonth | None = None
    expires: YearMonth | None = None
    credential_id: str | None = None  # may contain years: "AZ-104-2023-118"
    url: str | None = None


@dataclass
class Extra:
    """A section the profile does not keep (awards, publications, interests, references,
    spoken languages as a section of their own, courses…): a heading and its lines."""

    kind: str  # a labels.Section value
    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Person:
    locale: str  # Faker locale: "en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL"…
    language: str  # "en", "de", "fr", "es", "it", "pt", "nl"
    basics: Basics
    jobs: list[Job] = field(default_factory=list)
    education: list[Degree] = field(default_factory=list)
    skills: list[SkillGroup] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)
    # Section headings in this person's language, chosen per document ("Experience",
    # "Work History", "Berufserfahrung"…), keyed by labels.Section value.
    headings: dict[str, str] = field(default_factory=dict)
