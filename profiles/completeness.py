"""How complete a profile is, by an explained rubric: each criterion says what it checks,
what it is worth, how much of it the profile earns, and the concrete next step.

The weights say what a reader of a resume misses most: jobs with their dates and what was
done in them first, then skills, education, projects and credentials. They add up to 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from profiles.snapshots import ProfileSnapshot, SnapshotEntity

# A profile with fewer skills than this reads as thin to a recruiter's keyword search.
ENOUGH_SKILLS = 5


@dataclass(frozen=True)
class Criterion:
    section: str
    label: str
    weight: float
    earned: float  # 0..1: how much of the weight the profile has
    step: str  # what to do next ("" when earned in full)

    @property
    def points(self) -> float:
        return self.weight * self.earned

    @property
    def gain(self) -> Decimal:
        """What doing the step adds to the score."""
        return Decimal(str(round(self.weight * (1 - self.earned), 2)))

    @property
    def done(self) -> bool:
        return self.earned >= 1.0


@dataclass(frozen=True)
class Completeness:
    criteria: list[Criterion]

    @property
    def score(self) -> Decimal:
        return Decimal(str(round(sum(c.points for c in self.criteria), 2)))

    @property
    def next_steps(self) -> list[Criterion]:
        """What is missing, the largest gain first."""
        return sorted((c for c in self.criteria if not c.done), key=lambda c: -c.gain)


def _share(entities: list[SnapshotEntity], has: str | tuple[str, ...]) -> tuple[float, list[str]]:
    """The share of entities with every field of ``has``, and the labels of those without."""
    names = (has,) if isinstance(has, str) else has
    missing = [e.label for e in entities if not all(e.fields.get(name) for name in names)]
    return (1 - len(missing) / len(entities) if entities else 0.0), missing


def _some(labels: list[str], limit: int = 3) -> str:
    shown = ", ".join(labels[:limit])
    return shown + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def completeness(snapshot: ProfileSnapshot) -> Completeness:
    jobs = snapshot.of_type("work_experience")
    schools = snapshot.of_type("education")
    skills = snapshot.of_type("skill")
    projects = snapshot.of_type("project")
    certificates = snapshot.of_type("certification")
    criteria: list[Criterion] = [
        Criterion(
            "profile",
            "Your name",
            0.05,
            1.0 if snapshot.full_name else 0.0,
            "Add your full name to your profile card.",
        ),
        Criterion(
            "work",
            "At least one job",
            0.20,
            1.0 if jobs else 0.0,
            "Add your jobs, or upload a resume that lists them.",
        ),
    ]
    dated, undated = _share(jobs, "start_date")
    criteria.append(
        Criterion(
            "work",
            "Every job has dates",
            0.10,
            dated,
            f"Add a start date to {_some(undated)}." if undated else "Add a job first.",
        )
    )
    described, bare = _share(jobs, "description")
    criteria.append(
        Criterion(
            "work",
            "Every job says what you did",
            0.10,
            described,
            f"Describe what you did and achieved as {_some(bare)}." if bare else "Add a job first.",
        )
    )
    criteria.append(
        Criterion(
            "education",
            "Your education",
            0.10,
            1.0 if schools else 0.0,
            "Add your schools and degrees.",
        )
    )
    degreed, vague = _share(schools, ("degree", "field_of_study"))
    criteria.append(
        Criterion(
            "education",
            "Degrees with their field",
            0.05,
            degreed,
            f"Add the degree and field of study of {_some(vague)}."
            if vague
            else "Add your education first.",
        )
    )
    count = len(skills)
    criteria.append(
        Criterion(
            "skills",
            f"At least {ENOUGH_SKILLS} skills",
            0.15,
            min(count / ENOUGH_SKILLS, 1.0),
            f"Add {ENOUGH_SKILLS - count} more skill{'s' if ENOUGH_SKILLS - count != 1 else ''}: "
            "the tools and methods you use.",
        )
    )
    levelled, unlevelled = _share(skills, "proficiency_level")
    criteria.append(
        Criterion(
            "skills",
            "Skills with how well you know them",
            0.05,
            levelled,
            f"Say how well you know {_some(unlevelled)}." if unlevelled else "Add skills first.",
        )
    )
    grouped, loose = _share(skills, "category")
    criteria.append(
        Criterion(
            "skills",
            "Skills in categories",
            0.05,
            grouped,
            f"Give {_some(loose)} a category (language, tool, method…)."
            if loose
            else "Add skills first.",
        )
    )
    criteria.append(
        Criterion(
            "projects",
            "A project",
            0.10,
            1.0 if projects else 0.0,
            "Add a project you built or led, with what came of it.",
        )
    )
    criteria.append(
        Criterion(
            "certifications",
            "Credentials",
            0.05,
            1.0 if certificates else 0.0,
            "Add your certifications and licences, if you hold any.",
        )
    )
    return Completeness(criteria)
