"""What the learned extractor labels, shared by the synthetic corpus (which knows every
label from construction) and the models (which predict them).

A document is a sequence of *lines*. Each line belongs to a ``Section`` and plays a
``Role`` in it; within lines that name things (entry headers, contact lines, skills rows)
every token carries a ``Tag``. Section × role is what the line labeller predicts; the tag
is what the field tagger predicts.
"""

from __future__ import annotations

from enum import StrEnum


class Section(StrEnum):
    HEADER = "header"  # above the first heading: name, headline, contact details
    SUMMARY = "summary"
    WORK = "work"
    VOLUNTEER = "volunteer"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATES = "certificates"
    CONTACT = "contact"  # a headed block of contact details (a sidebar's "Contact")
    LANGUAGES = "languages"  # a section of its own (spoken languages inside skills are skills)
    AWARDS = "awards"
    PUBLICATIONS = "publications"
    INTERESTS = "interests"
    REFERENCES = "references"
    OTHER = "other"  # any other headed section: courses, talks, memberships…


# Sections whose content the profile keeps (the others are read past, never scored).
PROFILE_SECTIONS = frozenset(
    {
        Section.HEADER,
        Section.CONTACT,
        Section.WORK,
        Section.VOLUNTEER,
        Section.EDUCATION,
        Section.SKILLS,
        Section.PROJECTS,
        Section.CERTIFICATES,
    }
)


class Role(StrEnum):
    HEADING = "heading"  # a section heading ("Experience", "BERUFSERFAHRUNG")
    SUBHEADING = "subheading"  # a labelled block inside an entry ("Key achievements:")
    NAME = "name"  # the person's name
    HEADLINE = "headline"  # the line under the name ("Senior Data Engineer")
    CONTACT = "contact"  # e-mail, phone, website, profiles, location
    ENTRY = "entry"  # the first line of an entry (a job, a degree, a certificate…)
    DETAIL = "detail"  # further header lines of the same entry (employer, dates, place)
    BULLET = "bullet"  # a highlight starts
    TEXT = "text"  # prose: a summary paragraph, an entry's description
    CONT = "cont"  # continues the previous line's item (a wrapped line)
    SKILLS = "skills"  # a skills row: an optional label and its items
    KEYWORDS = "keywords"  # an entry's tag line ("Tech stack: Python, Go")
    FURNITURE = "furniture"  # page numbers, running headers and footers
    OTHER = "other"  # text the profile does not keep


class Tag(StrEnum):
    O = "o"  # separators, printed labels ("GPA:", "Issued"), words of no field  # noqa: E741
    # basics
    NAME = "name"
    HEADLINE = "headline"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"  # personal website
    LOCATION = "location"  # the person's location as printed
    NETWORK = "network"  # a profile's network, when printed as a word ("LinkedIn")
    USERNAME = "username"
    PROFILE_URL = "profile_url"
    # work and volunteering
    TITLE = "title"  # position
    EMPLOYER = "employer"  # work name / volunteer organization
    PLACE = "place"  # an entry's location
    DATES = "dates"  # a printed date or date range, whole ("Jan 2020 – Present")
    # education
    INSTITUTION = "institution"
    DEGREE = "degree"  # studyType
    AREA = "area"  # field of study
    SCORE = "score"  # the GPA number, without its label
    # projects
    PROJECT = "project"
    ROLE = "role"
    KEYWORD = "keyword"  # a project's printed tech tag
    # certificates
    CERTIFICATE = "certificate"
    ISSUER = "issuer"
    CREDENTIAL = "credential"  # a credential id
    LINK = "link"  # an entry's printed URL (project or certificate)
    # skills
    SKILL_GROUP = "skill_group"  # a skills row's label ("Languages")
    SKILL = "skill"  # one item
    LEVEL = "level"  # a level printed as a word ("Expert")
