"""The offline provider on fixture profiles: facts, trajectory, numbers and citations."""

from __future__ import annotations

from datetime import date

from enrichment.facts import bullets, compute, quantities_in, seniority_of, skills_in, tighten
from enrichment.grounding import Ground
from enrichment.providers import OfflineProvider
from enrichment.schemas import QuantityKind
from enrichment.services import checked
from tests.enrichment.fixtures import CAREER, entries

TODAY = date(2026, 12, 2)


def test_facts_years_employers_and_events() -> None:
    """Years come from the dates, employers in order, and the events between roles."""
    facts = compute(entries(), today=TODAY)
    assert [r.months for r in facts.roles] == [24, 30, 22, 60]
    assert facts.total_months == 136
    assert facts.employers == ["Acme Corp", "Globex"]
    kinds = [(e.kind, e.before.title, e.after.title) for e in facts.events]
    assert ("promotion", "Junior Developer", "Senior Developer") in kinds
    assert ("promotion", "Data Scientist", "Lead Data Scientist") in kinds
    assert ("employer_change", "Senior Developer", "Data Scientist") in kinds
    assert ("field_change", "Senior Developer", "Data Scientist") in kinds
    gaps = [e for e in facts.events if e.kind == "gap"]
    assert [g.months for g in gaps] == [8]


def test_seniority_path_and_trajectory() -> None:
    """The trajectory names the seniority sequence and the years it took."""
    facts = compute(entries(), today=TODAY)
    assert [r.seniority.label for r in facts.seniority_path if r.seniority] == [
        "Junior",
        "Senior",
        "Lead",
    ]
    analysis = OfflineProvider().analyse(facts)
    assert analysis.growth_trajectory[0].text == "Junior → Senior → Lead over 12 years."
    assert analysis.career_summary[0].text.startswith(
        "11.3 years of experience across 4 roles at 2 employers: Acme Corp and Globex."
    )


def test_quantities_found_with_their_bullet() -> None:
    """Numbers, percentages and money are found in bullets, each with its bullet."""
    facts = compute(entries(), today=TODAY)
    found = {(a.quantity, a.kind, a.bullet) for a in facts.achievements}
    assert ("40%", QuantityKind.PERCENTAGE, "Cut page load time by 40%") in found
    assert (
        "12,000",
        QuantityKind.NUMBER,
        "Migrated 12,000 customer accounts to PostgreSQL",
    ) in found
    assert ("$120k", QuantityKind.MONEY, "Reduced cloud costs by $120k a year.") in found
    assert ("5", QuantityKind.NUMBER, "Led a team of 5 engineers building APIs in Python.") in found
    assert quantities_in("Shipped the 2019 release in 3 weeks") == [
        (QuantityKind.DURATION, "3 weeks")
    ]


def test_every_sentence_cites_real_entities_and_is_grounded() -> None:
    """Each offline statement cites at least one of the person's entities and passes the
    grounding check."""
    profile = entries()
    facts = compute(profile, today=TODAY)
    ground = Ground.of(profile, facts)
    analysis = OfflineProvider().analyse(facts)
    mine = {e.ref for e in profile}
    statements = [
        s
        for column in ("career_summary", "professional_strengths", "growth_trajectory")
        for s in getattr(analysis, column)
    ] + [s for n in analysis.narratives for s in n.statements]
    assert statements
    for statement in statements:
        assert statement.cites, statement.text
        assert set(statement.cites) <= mine, statement.text
        assert ground.check(statement) == [], statement.text
    kept, rejected = checked(analysis, ground)
    assert rejected == []
    assert {n.narrative_type for n in kept.narratives} == {
        "transition",
        "growth",
        "achievement",
        "challenge",
    }


def test_narratives_carry_their_period_and_entities() -> None:
    """The gap narrative spans the months between the roles and cites both."""
    profile = entries()
    analysis = OfflineProvider().analyse(compute(profile, today=TODAY))
    gap = next(n for n in analysis.narratives if n.narrative_type == "challenge")
    assert gap.time_period == "2019-06 – 2020-03"
    assert gap.title == "A gap of 8 months"
    cited = {ref.label for ref in gap.statements[0].cites}
    assert cited == {"Senior Developer at Acme Corp", "Data Scientist at Globex"}


def test_grounding_refuses_invented_facts() -> None:
    """A number, employer or skill the profile lacks, or a stranger's entity, is refused."""
    profile = entries()
    ground = Ground.of(profile, compute(profile, today=TODAY))
    mine = profile[0].ref
    assert ground.problems("Cut page load time by 40%.", [mine]) == []
    assert ground.problems("Cut page load time by 45%.", [mine])
    assert ground.problems("Worked closely with Google on billing.", [mine])
    assert ground.problems("Built billing in Rust.", [mine])
    assert ground.problems("Cut page load time by 40%.", [])
    stranger = entries(CAREER[:1])[0].ref
    assert ground.problems("Cut page load time by 40%.", [stranger])


def test_entry_enrichment_tightens_and_splits_without_inventing() -> None:
    """Filler openings go, bullets with results are split out, every word is the person's."""
    profile = entries()
    facts = compute(profile, today=TODAY)
    draft = OfflineProvider().enrich(profile[0], facts)
    assert draft.enhanced_description == (
        "- Maintaining the billing service in Python.\n"
        "- Cut page load time by 40%\n"
        "- Migrated 12,000 customer accounts to PostgreSQL"
    )
    assert draft.achievement_bullets == [
        "Cut page load time by 40%",
        "Migrated 12,000 customer accounts to PostgreSQL",
    ]
    assert tighten("Duties included mentoring analysts.") == "Mentoring analysts."
    named = [s.canonical for s in skills_in("Wrote Go and sql; let go of C code in Rust.", [])]
    assert named == ["Go", "C", "Rust"]
    assert bullets("One. Two three.") == ["One.", "Two three."]
    assert seniority_of("Sr. Software Engineer").label == "Senior"  # type: ignore[union-attr]
