"""Printing a person into a ``Doc``: which fields appear, in which words and order.

A template family is a ``Style`` (what is printed, how entries, dates, skills and contacts
read) plus a renderer (geometry, fonts, producer). The composer records every printed value
through the ``Doc``, so the ground truth is exactly what the renderer prints. Lines carry
style hints renderers understand: ``heading``, ``name``, ``entry``, ``dates`` (the dates of
the line before: a renderer may set them beside it, in a date column or below), ``side``
(the line belongs in a sidebar), ``bold``, ``italic``, ``small``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from resumes.extraction.labels import Role, Section, Tag
from resumes.extraction.synth.doc import DateStyle, Doc, Line
from resumes.extraction.synth.person import (
    Degree,
    Job,
    Period,
    Person,
    Position,
    SocialProfile,
)

MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": (
        "Jan.",
        "Feb.",
        "März",
        "Apr.",
        "Mai",
        "Juni",
        "Juli",
        "Aug.",
        "Sept.",
        "Okt.",
        "Nov.",
        "Dez.",
    ),
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
    "es": (
        "ene.",
        "feb.",
        "mar.",
        "abr.",
        "may.",
        "jun.",
        "jul.",
        "ago.",
        "sept.",
        "oct.",
        "nov.",
        "dic.",
    ),
    "it": ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    "pt": ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
}
FULL_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "it": (
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    "pt": (
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
}
PRESENT = {
    "en": ("Present", "Current", "Now"),
    "de": ("heute", "aktuell", "laufend"),
    "fr": ("aujourd'hui", "présent"),
    "es": ("actualidad", "presente"),
    "it": ("presente", "oggi"),
    "pt": ("atual", "presente"),
    "nl": ("heden", "nu"),
}
GRADUATED = {
    "en": "Graduated",
    "de": "Abschluss",
    "fr": "Diplômé en",
    "es": "Graduado en",
    "it": "Laurea nel",
    "pt": "Concluído em",
    "nl": "Afgestudeerd",
}
CREDENTIAL = {
    "en": "Credential ID",
    "de": "Zertifikats-ID",
    "fr": "ID",
    "es": "ID",
    "it": "ID",
    "pt": "ID",
    "nl": "ID",
}
EXPIRES = {
    "en": "Expires",
    "de": "Gültig bis",
    "fr": "Expire",
    "es": "Caduca",
    "it": "Scade",
    "pt": "Expira",
    "nl": "Verloopt",
}
ROLE_LABEL = {
    "en": "Role",
    "de": "Rolle",
    "fr": "Rôle",
    "es": "Rol",
    "it": "Ruolo",
    "pt": "Função",
    "nl": "Rol",
}


def date_style(rng: random.Random, language: str, *, months: bool | None = None) -> DateStyle:
    """One of the date formats a template of ``language`` may use."""
    short, full = MONTHS[language], FULL_MONTHS[language]
    formats: list[tuple[Callable[[int, int | None], str], bool]] = [
        (lambda y, m: f"{short[m - 1]} {y}" if m else str(y), True),
        (lambda y, m: f"{full[m - 1]} {y}" if m else str(y), True),
        (lambda y, m: f"{m:02d}/{y}" if m else str(y), True),
        (lambda y, m: f"{y}", False),
    ]
    if language in ("de", "nl", "pt", "it", "es", "fr"):
        formats.append((lambda y, m: f"{m:02d}.{y}" if m else str(y), True))
    else:
        formats.append((lambda y, m: f"{y}-{m:02d}" if m else str(y), True))
    if months is not None:
        formats = [f for f in formats if f[1] == months] or formats
    point, with_months = rng.choice(formats)
    return DateStyle(
        point=point,
        months=with_months,
        separator=rng.choice((" – ", " - ", " — ", " – ")),
        present=rng.choice(PRESENT[language]),
    )


@dataclass(frozen=True)
class Style:
    """What a template prints and in which words."""

    language: str
    dates: DateStyle
    # "title-first": title / employer lines; "employer-first"; "one-line": "Title, Employer".
    entry: str = "title-first"
    entry_separator: str = ", "
    # "lines": one contact item a line; "joined": one line with separators.
    contact: str = "joined"
    contact_separator: str = " | "
    # "url": profiles printed as URLs; "label": "GitHub: handle"; "stacked": where contact
    # items go one a line, a block of their own under a heading ("Profiles"), each the
    # handle over the network's name ("stacked-network": the name over the handle).
    profiles: str = "url"
    # "labelled": "Label: a, b"; "one-a-line": one skill a line (sidebars).
    skills: str = "labelled"
    # ", " or " · ", " | ", or only spaces ("Python Docker REST APIs").
    skill_separator: str = ", "
    # Between one skill and its level on one line ("Python — Expert", "Python: Expert").
    level_separator: str = " — "
    # The GPA printed in the degree line ("MSc in Physics, GPA 3.8") instead of below it.
    score_inline: bool = False
    # "degree-first", "institution-first" (each on its own line) or "one-line" ("MSc in
    # Physics, Yale University").
    degree: str = "degree-first"
    # The field before the degree ("Physics, MSc").
    area_first: bool = False
    # The school's place after its name ("Yale University, New Haven, CT").
    degree_place: bool = False
    # "stacked": the issuer on a line of its own; "joined": "Name, Issuer" on the name's line.
    certificate: str = "stacked"
    certificate_separator: str = ", "
    # A certificate's date set as an entry's dates are (beside it, or in the date column),
    # not after its issuer.
    certificate_dates_aside: bool = False
    # A project's role: "labelled" ("Role: Maintainer"), "bare" on its own line, or "joined"
    # after the name ("Atlas — Maintainer").
    project_role: str = "labelled"
    print_location: bool = True
    print_country: bool = False
    summary: bool = True
    # The summary printed without a heading, under the header or atop the main column.
    summary_heading: bool = True
    # Entries set apart by colour alone, or by a weight the text layer does not show (one
    # variable font for every weight): no "bold" hint on any line.
    weights: bool = True
    headline: bool = True
    extras: bool = True
    order: tuple[str, ...] = (
        "summary",
        "work",
        "volunteer",
        "education",
        "projects",
        "certificates",
        "skills",
    )
    # Sections set in a sidebar (their lines carry "side"); contact joins them when listed.
    side: tuple[str, ...] = ()
    # Dates printed with the place: "Berlin | 2019 – 2021" on the detail line.
    dates_with_place: bool = False
    # The place on a detail line of its own, or set beside the line above it
    # ("Acme GmbH ⇥ Berlin, DE").
    place_line: bool = False
    place_aside: bool = False
    heading_case: str = "as-is"  # or "upper" (printed in capitals)


@dataclass
class Composer:
    person: Person
    style: Style
    doc: Doc
    side: bool = False
    _entries: dict[str, int] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.style.language

    def line(self, section: Section, role: Role, entry: int | None = None, *hints: str) -> Line:
        style = tuple(h for h in hints if self.style.weights or h != "bold")
        style += ("side",) if self.side else ()
        return self.doc.line(section, role, entry, style=style)

    def heading(self, section: Section, key: str) -> None:
        text = self.person.headings.get(key, key.title())
        if self.style.heading_case == "upper":
            text = text.upper()
        self.line(section, Role.HEADING, None, "heading").add(text)

    # -- header --------------------------------------------------------------------

    def header(self) -> None:
        basics = self.person.basics
        self.side = False
        self.line(Section.HEADER, Role.NAME, None, "name").add(
            basics.name, Tag.NAME, gt=("basics", "name")
        )
        if self.style.headline and basics.label:
            self.line(Section.HEADER, Role.HEADLINE, None, "headline").add(
                basics.label, Tag.HEADLINE
            )
        if "contact" in self.style.side:
            return
        self.contacts(Section.HEADER)

    def contacts(self, section: Section) -> None:
        basics = self.person.basics
        items: list[Callable[[Line], object]] = []
        if basics.email:
            items.append(
                lambda ln: ln.add(
                    basics.email or "", Tag.EMAIL, gt=("basics", "email"), style=("icon:email",)
                )
            )
        if basics.phone:
            items.append(
                lambda ln: ln.add(
                    basics.phone or "", Tag.PHONE, gt=("basics", "phone"), style=("icon:phone",)
                )
            )
        if self.style.print_location and basics.location.city:

            def place(ln: Line) -> None:
                text = self.doc.location(
                    basics.location,
                    country=self.style.print_country,
                    gt=("basics", "location"),
                    address=True,
                )
                ln.add(text, Tag.LOCATION, style=("icon:location",))

            items.append(place)
        if basics.url:
            items.append(
                lambda ln: ln.add(
                    basics.url or "", Tag.URL, gt=("basics", "url"), style=("icon:website", "link")
                )
            )
        stacked = self.style.profiles.startswith("stacked") and self.style.contact == "lines"
        for profile in [] if stacked else basics.profiles:

            def social(ln: Line, profile: SocialProfile = profile) -> None:
                index = self._record_profile(profile)
                if self.style.profiles == "url":
                    ln.add(
                        profile.url,
                        Tag.PROFILE_URL,
                        gt=("basics", "profiles", index, "url"),
                        style=(f"icon:{profile.network.lower()}", "link"),
                    )
                else:
                    ln.add(f"{profile.network}: ", Tag.NETWORK)
                    ln.add(
                        profile.username, Tag.USERNAME, gt=("basics", "profiles", index, "username")
                    )

            items.append(social)
        if self.style.contact == "joined" and section is Section.HEADER:
            ln = self.line(section, Role.CONTACT, None, "contact")
            for index, item in enumerate(items):
                if index:
                    ln.add(self.style.contact_separator)
                item(ln)
        else:
            for item in items:
                item(self.line(section, Role.CONTACT, None, "contact"))
        if stacked and basics.profiles:
            self.heading(Section.CONTACT, "profiles")
            for profile in basics.profiles:
                gt = ("basics", "profiles", self._record_profile(profile), "username")
                pair = [(profile.username, Tag.USERNAME, gt), (profile.network, Tag.NETWORK, None)]
                if self.style.profiles == "stacked-network":
                    pair.reverse()
                icon = (f"icon:{profile.network.lower()}",)
                for number, (text, tag, path) in enumerate(pair):
                    self.line(Section.CONTACT, Role.CONTACT, None, "contact").add(
                        text, tag, gt=path, style=() if number else icon
                    )

    def _record_profile(self, profile: SocialProfile) -> int:
        """A new profile in the ground truth, with its network; its index."""
        profiles = self.doc.gt["basics"].setdefault("profiles", [])
        profiles.append({"network": profile.network})
        return len(profiles) - 1

    # -- sections ------------------------------------------------------------------

    def section(self, key: str) -> None:
        person = self.person
        self.side = key in self.style.side
        if key == "summary" and self.style.summary and person.basics.summary:
            if self.style.summary_heading:
                self.heading(Section.SUMMARY, "summary")
            self.line(Section.SUMMARY, Role.TEXT, None, "text").add(person.basics.summary)
        elif key == "contact":
            self.heading(Section.CONTACT, "contact")
            self.contacts(Section.CONTACT)
        elif key in ("work", "volunteer"):
            jobs = [j for j in person.jobs if j.volunteer == (key == "volunteer")]
            if jobs:
                section = Section.WORK if key == "work" else Section.VOLUNTEER
                self.heading(section, key)
                for job in jobs:
                    self.job(section, key, job)
        elif key == "education" and person.education:
            self.heading(Section.EDUCATION, "education")
            for degree in person.education:
                self.degree(degree)
        elif key == "skills" and person.skills:
            self.heading(Section.SKILLS, "skills")
            self.skills()
        elif key == "projects" and person.projects:
            self.heading(Section.PROJECTS, "projects")
            self.projects()
        elif key == "certificates" and person.certificates:
            self.heading(Section.CERTIFICATES, "certificates")
            self.certificates()
        elif key == "extras" and self.style.extras:
            for extra in person.extras:
                section = Section(extra.kind)
                self.heading(section, extra.kind)
                for text in extra.lines:
                    self.line(section, Role.OTHER, None, "text").add(text)

    def dates(
        self,
        section: Section,
        entry: int,
        period: Period,
        gt: tuple[str | int, ...],
        place: str | None = None,
        place_gt: tuple[str | int, ...] | None = None,
    ) -> None:
        if period.start is None and period.end is None and not place:
            return
        ln = self.line(section, Role.DETAIL, entry, "dates")
        if place and self.style.dates_with_place:
            ln.add(place, Tag.PLACE, gt=place_gt)
            if period.start or period.end:
                ln.add(" | ")
        ln.dates(period, self.style.dates, gt=gt)
        if not ln.spans:
            self.doc.lines.remove(ln)

    def job(self, section: Section, key: str, job: Job) -> None:
        name_key = "name" if key == "work" else "organization"
        location = job.location if self.style.print_location and key == "work" else None
        place_gt_key = "location" if key == "work" else None
        if len(job.roles) > 1:
            indexes = [self.doc.entry(key) for _ in job.roles]
            head = self.line(section, Role.ENTRY, indexes[0], "entry", "bold")
            head.add(job.employer, Tag.EMPLOYER, gt=(key, indexes[0], name_key))
            for index in indexes[1:]:
                self.doc.record((key, index, name_key), job.employer)
            if location:
                head.add(", ")
                head.add(location, Tag.PLACE, gt=(key, indexes[0], "location"))
                for index in indexes[1:]:
                    self.doc.record((key, index, "location"), location)
            for index, role in zip(indexes, job.roles, strict=True):
                ln = self.line(section, Role.DETAIL, index, "entry", "italic")
                ln.add(role.position, Tag.TITLE, gt=(key, index, "position"))
                self.dates(section, index, role.period, (key, index))
                self.body(section, key, index, role)
            return
        role = job.roles[0]
        index = self.doc.entry(key)
        place_gt = (key, index, place_gt_key) if place_gt_key and location else None
        apart = self.style.dates_with_place or self.style.place_line or self.style.place_aside
        inline_place = location if not apart else None
        if self.style.entry == "one-line":
            ln = self.line(section, Role.ENTRY, index, "entry", "bold")
            ln.add(role.position, Tag.TITLE, gt=(key, index, "position"))
            ln.add(self.style.entry_separator)
            ln.add(job.employer, Tag.EMPLOYER, gt=(key, index, name_key))
            if inline_place and place_gt:
                ln.add(", ")
                ln.add(inline_place, Tag.PLACE, gt=place_gt)
        else:
            first, second = (
                (role.position, Tag.TITLE, "position"),
                (job.employer, Tag.EMPLOYER, name_key),
            )
            if self.style.entry == "employer-first":
                first, second = second, first
            ln = self.line(section, Role.ENTRY, index, "entry", "bold")
            ln.add(first[0], first[1], gt=(key, index, first[2]))
            detail = self.line(section, Role.DETAIL, index, "detail", "italic")
            detail.add(second[0], second[1], gt=(key, index, second[2]))
            if inline_place and place_gt:
                detail.add(", ")
                detail.add(inline_place, Tag.PLACE, gt=place_gt)
        if location and place_gt and (self.style.place_line or self.style.place_aside):
            hints = ("aside",) if self.style.place_aside else ("detail", "italic")
            place = self.line(section, Role.DETAIL, index, *hints)
            place.add(location, Tag.PLACE, gt=place_gt)
        with_dates = self.style.dates_with_place and not (
            self.style.place_line or self.style.place_aside
        )
        self.dates(
            section, index, role.period, (key, index), location if with_dates else None, place_gt
        )
        self.body(section, key, index, role)

    def body(self, section: Section, key: str, index: int, role: Position) -> None:
        if role.summary:
            self.line(section, Role.TEXT, index, "text").add(
                role.summary, gt=(key, index, "summary")
            )
        for text in role.highlights:
            self.line(section, Role.BULLET, index, "bullet").add(
                text, gt=(key, index, "highlights")
            )
        for block in role.blocks:
            self.line(section, Role.SUBHEADING, index, "subheading", "bold").add(block.label)
            if block.kind == "highlights":
                for text in block.items:
                    self.line(section, Role.BULLET, index, "bullet").add(
                        text, gt=(key, index, "highlights")
                    )
            elif block.kind == "keywords":
                self.line(section, Role.KEYWORDS, index, "text").add(", ".join(block.items))
            else:
                self.line(section, Role.TEXT, index, "text").add(
                    " ".join(block.items), gt=(key, index, "summary")
                )
        if role.keywords and not role.blocks:
            label = "Tech stack: " if self.lang == "en" else "Stack: "
            self.line(section, Role.KEYWORDS, index, "text", "small").add(
                label + ", ".join(role.keywords)
            )

    def degree(self, degree: Degree) -> None:
        index = self.doc.entry("education")
        gt = ("education", index)

        def degree_line(ln: Line) -> None:
            if degree.area and self.style.area_first:
                ln.add(degree.area, Tag.AREA, gt=(*gt, "area"))
                if degree.study_type:
                    ln.add(", ")
            if degree.study_type:
                ln.add(degree.study_type, Tag.DEGREE, gt=(*gt, "studyType"))
            if degree.area and not self.style.area_first:
                joiner = next(
                    (j for k, j in _degree_joiners(self.lang) if k == degree.study_type), ", "
                )
                ln.add(f" {joiner} " if joiner else ", ")
                ln.add(degree.area, Tag.AREA, gt=(*gt, "area"))
            if degree.score and self.style.score_inline:
                ln.add(f", {degree.score_label or 'GPA'} ")
                ln.add(degree.score, Tag.SCORE, gt=(*gt, "score"))

        def institution_line(ln: Line) -> None:
            ln.add(degree.institution, Tag.INSTITUTION, gt=(*gt, "institution"))
            if degree.location and self.style.degree_place:
                ln.add(self.style.entry_separator if "," not in degree.institution else " | ")
                ln.add(degree.location, Tag.PLACE)

        first = self.line(Section.EDUCATION, Role.ENTRY, index, "entry", "bold")
        if self.style.degree == "one-line":
            degree_line(first)
            second = first.add(self.style.entry_separator if first.spans else "")
            institution_line(second)
        elif self.style.degree == "degree-first":
            degree_line(first)
            second = self.line(Section.EDUCATION, Role.DETAIL, index, "detail", "italic")
            institution_line(second)
        else:
            institution_line(first)
            second = self.line(Section.EDUCATION, Role.DETAIL, index, "detail", "italic")
            degree_line(second)
        if not second.spans:
            self.doc.lines.remove(second)
        self.dates(Section.EDUCATION, index, degree.period, gt)
        if degree.score and not self.style.score_inline:
            ln = self.line(Section.EDUCATION, Role.DETAIL, index, "detail")
            ln.add(f"{degree.score_label or 'GPA'}: ")
            ln.add(degree.score, Tag.SCORE, gt=(*gt, "score"))

    def skills(self) -> None:
        for group in self.person.skills:
            if group.name is None:
                if self.style.skills == "one-a-line":
                    for keyword in group.keywords:
                        index = self.doc.entry("skills")
                        self.line(Section.SKILLS, Role.SKILLS, index, "skills").add(
                            keyword, Tag.SKILL, gt=("skills", index, "name")
                        )
                    continue
                ln = self.line(Section.SKILLS, Role.SKILLS, None, "skills")
                for number, keyword in enumerate(group.keywords):
                    index = self.doc.entry("skills")
                    if number:
                        ln.add(self.style.skill_separator)
                    ln.add(keyword, Tag.SKILL, gt=("skills", index, "name"))
                continue
            index = self.doc.entry("skills")
            if not group.keywords:
                # One skill and its level: "Python — Expert", or the level on a line below.
                assert group.level is not None
                ln = self.line(Section.SKILLS, Role.SKILLS, index, "skills")
                ln.add(group.name, Tag.SKILL, gt=("skills", index, "name"))
                if self.style.skills == "one-a-line":
                    ln = self.line(Section.SKILLS, Role.SKILLS, index, "skills", "small")
                else:
                    ln.add(self.style.level_separator)
                ln.add(group.level, Tag.LEVEL, gt=("skills", index, "level"))
                continue
            if self.style.skills == "one-a-line":
                self.line(Section.SKILLS, Role.SKILLS, index, "skills", "bold").add(
                    group.name, Tag.SKILL_GROUP, gt=("skills", index, "name")
                )
                if group.level:
                    # The group's level between its label and its skills.
                    self.line(Section.SKILLS, Role.SKILLS, index, "skills", "small").add(
                        group.level, Tag.LEVEL, gt=("skills", index, "level")
                    )
                self.line(Section.SKILLS, Role.SKILLS, index, "skills").add(
                    ", ".join(group.keywords), Tag.SKILL
                )
                for keyword in group.keywords:
                    self.doc.record(("skills", index, "keywords"), keyword)
                continue
            ln = self.line(Section.SKILLS, Role.SKILLS, index, "skills")
            ln.add(group.name, Tag.SKILL_GROUP, gt=("skills", index, "name"), style=("bold",))
            if group.level:
                ln.add(" (")
                ln.add(group.level, Tag.LEVEL, gt=("skills", index, "level"))
                ln.add(")")
            ln.add(": ")
            for number, keyword in enumerate(group.keywords):
                if number:
                    ln.add(self.style.skill_separator)
                ln.add(keyword, Tag.SKILL, gt=("skills", index, "keywords"))

    def projects(self) -> None:
        for project in self.person.projects:
            index = self.doc.entry("projects")
            gt = ("projects", index)
            head = self.line(Section.PROJECTS, Role.ENTRY, index, "entry", "bold")
            head.add(project.name, Tag.PROJECT, gt=(*gt, "name"))
            if project.roles:
                if self.style.project_role == "joined":
                    ln = head.add(" — ")
                else:
                    ln = self.line(Section.PROJECTS, Role.DETAIL, index, "detail", "italic")
                if self.style.project_role == "labelled":
                    ln.add(f"{ROLE_LABEL[self.lang]}: ")
                for number, role in enumerate(project.roles):
                    if number:
                        ln.add(", ")
                    ln.add(role, Tag.ROLE, gt=(*gt, "roles"))
            if project.url:
                self.line(Section.PROJECTS, Role.DETAIL, index, "detail", "link").add(
                    project.url, Tag.LINK, gt=(*gt, "url")
                )
            if project.description:
                self.line(Section.PROJECTS, Role.TEXT, index, "text").add(
                    project.description, gt=(*gt, "description")
                )
            if project.keywords:
                ln = self.line(Section.PROJECTS, Role.KEYWORDS, index, "text", "small")
                for number, keyword in enumerate(project.keywords):
                    if number:
                        ln.add(", ")
                    ln.add(keyword, Tag.KEYWORD, gt=(*gt, "keywords"))

    def certificates(self) -> None:
        for certificate in self.person.certificates:
            index = self.doc.entry("certificates")
            gt = ("certificates", index)
            head = self.line(Section.CERTIFICATES, Role.ENTRY, index, "entry", "bold")
            head.add(certificate.name, Tag.CERTIFICATE, gt=(*gt, "name"))
            joined = self.style.certificate == "joined"
            if certificate.issuer and joined:
                head.add(self.style.certificate_separator)
                head.add(certificate.issuer, Tag.ISSUER, gt=(*gt, "issuer"))
            if certificate.issued and self.style.certificate_dates_aside:
                self.line(Section.CERTIFICATES, Role.DETAIL, index, "dates").dates(
                    Period(start=certificate.issued, single=True),
                    self.style.dates,
                    gt=gt,
                    key="date",
                )
            ln = self.line(Section.CERTIFICATES, Role.DETAIL, index, "detail")
            if certificate.issuer and not joined:
                ln.add(certificate.issuer, Tag.ISSUER, gt=(*gt, "issuer"))
            if certificate.issued and not self.style.certificate_dates_aside:
                if ln.spans:
                    ln.add(" · ")
                ln.dates(
                    Period(start=certificate.issued, single=True),
                    self.style.dates,
                    gt=gt,
                    key="date",
                )
            if not ln.spans:
                self.doc.lines.remove(ln)
            if certificate.credential_id:
                self.line(Section.CERTIFICATES, Role.DETAIL, index, "detail", "small").add(
                    f"{CREDENTIAL[self.lang]}: {certificate.credential_id}", Tag.CREDENTIAL
                )
            if certificate.expires:
                text, _, _ = self.style.dates.format(Period(start=certificate.expires, single=True))
                self.line(Section.CERTIFICATES, Role.DETAIL, index, "detail", "small").add(
                    f"{EXPIRES[self.lang]} {text}"
                )


def _degree_joiners(language: str) -> tuple[tuple[str, str | None], ...]:
    from resumes.extraction.synth.people import DEGREES

    return DEGREES[language]


def compose(person: Person, style: Style, *, family: str, producer: str) -> Doc:
    """The person printed in ``style``: a ``Doc`` whose lines a renderer sets."""
    doc = Doc(person, family=family, producer=producer)
    composer = Composer(person, style, doc)
    composer.header()
    keys = list(style.order)
    if "contact" in style.side:
        keys.insert(0, "contact")
    if style.extras:
        keys.append("extras")
    for key in [k for k in keys if k in style.side] + [k for k in keys if k not in style.side]:
        composer.section(key)
    return doc


def sidebar_parts(lines: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """A two-column document's lines, each part in document order: the head set across the
    page (name and headline), the sidebar's and the main column's."""
    side = [line for line in lines if "side" in line.style]
    main = [line for line in lines if "side" not in line.style]
    head = [line for line in main if line.role in (Role.NAME, Role.HEADLINE)]
    return head, side, [line for line in main if line not in head]


def paired(lines: list[Line]) -> list[tuple[Line, Line | None]]:
    """Lines with the dates line of each entry set beside the entry's first line (the last
    ``entry`` line of the same item), and an ``aside`` line beside the line above it, for
    renderers that print dates beside their entry."""
    out: list[tuple[Line, Line | None]] = []
    for line in lines:
        if "aside" in line.style and out:
            above, aside = out[-1]
            if aside is None and (above.entry, above.section) == (line.entry, line.section):
                out[-1] = (above, line)
                continue
        if "dates" in line.style:
            for position in range(len(out) - 1, -1, -1):
                head, aside = out[position]
                if head.entry != line.entry or head.section != line.section:
                    break
                if "entry" in head.style and aside is None:
                    out[position] = (head, line)
                    break
            else:
                out.append((line, None))
                continue
            if not any(aside is line for _, aside in out):
                out.append((line, None))
            continue
        out.append((line, None))
    return out
