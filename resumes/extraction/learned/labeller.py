"""The line labeller at run time: a linear-chain CRF gives every line its role, and a
heading classifier gives every heading its section.

A CRF for roles rather than independent per-line classifiers because a line's role depends
on its neighbours' (a continuation follows a bullet, an entry follows a heading or a
bullet), and the chain decodes the whole document at once (Viterbi) with a probability for
each line. Sections are not left to the chain: a section runs from its heading to the next,
so only headings need one, and what a heading names is decided from the heading itself
(its words above all), not from which sections followed which in the training corpus.
Prose above the first heading, or opening a column of its own (not beside an entry's
header lines), is the summary; the person's name or headline opens the header again
wherever it is read (at the top of a main column read after its sidebar). A heading wrapped
over lines is one heading: its section is the one its lines name together.

    labeller = Labeller.default()          # the committed model, or None when it is missing
    for (label, probability) in labeller.label(document): ...   # "work:bullet", 0.97
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pycrfsuite

from resumes.extraction.labels import Role, Section
from resumes.extraction.learned.features import COLUMN_START, Features, line_features
from resumes.reading.model import ResumeText

MODEL = Path(__file__).resolve().parent / "model"
ROLES = "roles.crfsuite"
HEADINGS = "headings.crfsuite"


# The chain's states are the roles, with a continuation split by what it continues: a
# header line (an entry's name wrapped) or anything else (a paragraph, a bullet). A
# first-order chain sees one line back, and what follows "25%." at the end of a description
# (the next entry) is not what follows a wrapped entry name (its details).
HEADER_CONT = "cont-header"
STATE_ROLES = {HEADER_CONT: Role.CONT}
CONTINUED_HEADERS = frozenset({Role.ENTRY, Role.DETAIL, Role.HEADING, Role.SUBHEADING})


def states(roles: list[str]) -> list[str]:
    out = []
    continued: str | None = None
    for role in roles:
        if role != Role.CONT:
            continued = role
        out.append(HEADER_CONT if role == Role.CONT and continued in CONTINUED_HEADERS else role)
    return out


# The states of an entry's header lines.
ENTRY = frozenset({Role.ENTRY, Role.DETAIL, HEADER_CONT})


def before_headings(role: str) -> str:
    """The section of a line above the first heading: a paragraph there is the summary."""
    return Section.SUMMARY if role in (Role.TEXT, Role.CONT) else Section.HEADER


class Labeller:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._roles = pycrfsuite.Tagger()
        self._roles.open(str(folder / ROLES))
        self._headings = pycrfsuite.Tagger()
        self._headings.open(str(folder / HEADINGS))
        self._states = tuple(self._roles.labels())
        self._sections_known = tuple(self._headings.labels())

    @staticmethod
    @cache
    def default() -> Labeller | None:
        return Labeller(MODEL) if (MODEL / ROLES).is_file() else None

    def tag(self, features: list[Features]) -> list[tuple[str, float]]:
        """The ``section:role`` of every line and its probability."""
        if not features:
            return []
        chain = self._roles.tag(pycrfsuite.ItemSequence(features))
        out: list[tuple[str, float]] = []
        roles: list[float] = []  # each line's role probability
        section: str | None = None
        previous: str | None = None
        # The heading being read: its lines so far, and what they name together.
        heading_lines: list[int] = []
        heading: dict[str, float] = {}
        for index, state in enumerate(chain):
            role = STATE_ROLES.get(state, state)
            # The role's probability: the marginals of every state it has in the model.
            probability = sum(
                self._roles.marginal(other, index)
                for other in self._states
                if STATE_ROLES.get(other, other) == role
            )
            roles.append(probability)
            if COLUMN_START in features[index] and role == Role.TEXT and previous not in ENTRY:
                # A column that opens with prose, not a heading, opens as a page does:
                # with the summary (a main column beside a sidebar that came first). After
                # an entry's name or details it is that entry's description, set in a
                # column of its own (the cell beside its dates).
                section = Section.SUMMARY
            if role in (Role.NAME, Role.HEADLINE):
                # The person's name and headline are the header's wherever they are set (a
                # main column beside a sidebar that was read first): so is what follows
                # them, and prose under them is the summary, until a heading.
                section = None
            if role == Role.HEADING:
                own = self._sections(features[index])
                # A heading wrapped over lines (a narrow label column's "Esperienza /
                # professionale") is one heading: its section is the one its lines name
                # together, and all its lines take it.
                if previous == Role.HEADING and "gap" not in features[index]:
                    heading_lines.append(index)
                    heading = {name: heading[name] * p for name, p in own.items()}
                else:
                    heading_lines, heading = [index], own
                section = max(heading, key=heading.__getitem__)
                share = heading[section] / (sum(heading.values()) or 1.0)
                for line in heading_lines[:-1]:
                    out[line] = (f"{section}:{role}", roles[line] * share)
                probability *= share
            previous = state
            out.append((f"{section or before_headings(role)}:{role}", probability))
        return out

    def _sections(self, item: Features) -> dict[str, float]:
        """The heading classifier's probability of every section for one heading line."""
        self._headings.tag(pycrfsuite.ItemSequence([item]))
        return {label: self._headings.marginal(label, 0) for label in self._sections_known}

    def label(self, document: ResumeText) -> list[tuple[str, float]]:
        return self.tag(line_features(document))
