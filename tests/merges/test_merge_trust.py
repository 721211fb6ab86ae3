"""Nothing wrong enters the profile silently: each rule of merge review, proposed through
the same door every source uses (``merges.services.merge_decisions_propose``)."""

from __future__ import annotations

import re
import threading
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careeros.db.rls import user_context
from careeros.db.versioning import Source
from merges import selectors, services
from merges.models import DecisionStatus, DecisionType, MergeDecision
from merges.sources import Origin, Proposal
from profiles import services as profile_services
from profiles.entities import spec_for_slug
from profiles.models import Certification, Skill, User, WorkExperience
from profiles.selectors import entity_search
from resumes.extraction import schema
from resumes.schemas import confine

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def origin(label: str = "cv.pdf", text: str = "") -> Origin:
    return Origin(
        source_type=Source.UPLOAD,
        group_id=uuid.uuid4(),
        label=label,
        url=f"/sources/{label}",
        text=text,
        document_url=f"/sources/{label}/file",
    )


def proposal(slug: str, confidence: str = "0.95", **fields: Any) -> Proposal:
    spec = spec_for_slug(slug)
    return Proposal(
        source_entity_id=uuid.uuid4(),
        spec=spec,
        data=spec.data.model_validate(fields),
        confidence=Decimal(confidence),
    )


def propose(user: User, *proposals: Proposal, source: Origin | None = None) -> list[MergeDecision]:
    with user_context(user.pk):
        return services.merge_decisions_propose(
            user_id=user.pk, origin=source or origin(), proposals=list(proposals)
        )


def pending(user: User) -> list[MergeDecision]:
    with user_context(user.pk):
        return list(MergeDecision.objects.for_user(user).pending().order_by("created_at"))


def current(user: User, model: type[Any]) -> list[Any]:
    with user_context(user.pk):
        return list(model.objects.for_user(user).current().order_by("created_at"))


# -- 1. Auto-apply only what is certain ------------------------------------------------------


def test_a_sure_valid_entry_joins_the_profile_and_an_unsure_one_waits(user: User) -> None:
    """A new entity applies by itself only at or above the person's confidence."""
    propose(
        user,
        proposal("skills", "0.95", name="Python"),
        proposal("skills", "0.55", name="Kubernetes"),
    )
    assert [skill.name for skill in current(user, Skill)] == ["Python"]
    [waiting] = pending(user)
    assert waiting.proposed.fields()["name"] == "Kubernetes"
    assert "55% confidence" in " ".join(services.why_waiting(waiting, services.Policy.of(user.pk)))


def test_the_threshold_is_the_persons_to_change(signed_in: Client, user: User) -> None:
    """The review page shows the threshold; lowering it lets less sure entries in."""
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert 'name="new_entities"' in page
    assert 'value="0.80"' in page
    signed_in.post(reverse("merge_settings"), {"new_entities": "0.50", "threshold": ""})
    propose(user, proposal("skills", "0.55", name="Kubernetes"))
    assert [skill.name for skill in current(user, Skill)] == ["Kubernetes"]


def test_junk_certificates_wait_however_sure_the_reader_is(signed_in: Client, user: User) -> None:
    """Status words, dates and sentences are no certificate names or issuers."""
    propose(
        user,
        proposal("certifications", "0.99", name="Issued", issuing_organization="Expires"),
        proposal(
            "certifications",
            "0.99",
            name="Led the migration of forty services to Kubernetes within one quarter.",
            issuing_organization="Acme",
        ),
        proposal("certifications", "0.99", name="CKA", issuing_organization="CNCF"),
    )
    assert [c.name for c in current(user, Certification)] == ["CKA"]
    assert len(pending(user)) == 2
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert "looks like a date or a label" in page
    assert "reads like a sentence" in page


def test_a_job_that_ends_before_it_starts_waits(user: User) -> None:
    propose(
        user,
        proposal("work", title="Engineer", company="Acme", start_date="2021-05", end_date="2019"),
    )
    assert current(user, WorkExperience) == []
    [waiting] = pending(user)
    assert "ends before it starts" in " ".join(
        services.why_waiting(waiting, services.Policy.of(user.pk))
    )


# -- 2. One upload, one copy -----------------------------------------------------------------


def test_an_upload_that_says_a_thing_three_times_adds_it_once(user: User) -> None:
    """The same skill in three sections is one skill, with the evidence of all three."""
    text = "Python in skills. python at work. PYTHON in projects."
    decisions = propose(
        user,
        proposal("skills", name="Python", evidence={"name": [[0, 6]]}),
        proposal("skills", name="python", evidence={"name": [[18, 24]]}),
        proposal("skills", name="PYTHON", evidence={"name": [[34, 40]]}),
        source=origin(text=text),
    )
    assert [skill.name for skill in current(user, Skill)] == ["Python"]
    kept = [d for d in decisions if d.decision_type == DecisionType.KEEP_SEPARATE]
    assert len(kept) == 1
    assert [s.text for s in kept[0].snippets.get("name")] == ["Python", "python", "PYTHON"]
    copies = [d for d in decisions if d.decision_type == DecisionType.SKIP]
    assert len(copies) == 2
    assert all(d.status == DecisionStatus.APPLIED for d in copies)


# -- 3. Decisions are remembered -------------------------------------------------------------


def test_a_skipped_suggestion_is_not_raised_again(user: User) -> None:
    [first] = propose(user, proposal("skills", "0.55", name="Cobol"))
    with user_context(user.pk):
        services.merge_decision_reject(user=user, decision_id=first.pk)
    [again] = propose(user, proposal("skills", "0.60", name="COBOL"), source=origin("b.pdf"))
    assert again.status == DecisionStatus.REJECTED
    assert "You skipped the same suggestion from cv.pdf" in (again.merge_reason or "")
    assert pending(user) == []
    assert current(user, Skill) == []


def test_the_same_pending_suggestion_from_a_second_file_joins_the_first_card(
    signed_in: Client, user: User
) -> None:
    propose(user, proposal("skills", "0.55", name="Cobol"))
    propose(user, proposal("skills", "0.55", name="Cobol"), source=origin("b.pdf"))
    [card] = pending(user)
    assert [source["label"] for source in card.also_in] == ["b.pdf"]
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert page.count('class="card decision"') == 1
    assert "Also in:" in page
    assert "b.pdf" in page
    signed_in.post(
        reverse("merge_decision_hx", args=[card.pk]), {"action": "keep_separate"}, headers=HX
    )
    assert [skill.name for skill in current(user, Skill)] == ["Cobol"]
    with user_context(user.pk):
        statuses = sorted(MergeDecision.objects.for_user(user).values_list("status", flat=True))
    assert statuses == ["applied", "applied"]  # the folded one settled with its card


def test_the_review_page_groups_by_file_and_can_skip_a_whole_file(
    signed_in: Client, user: User
) -> None:
    b = origin("b.pdf")
    propose(
        user, proposal("skills", "0.55", name="Cobol"), proposal("skills", "0.5", name="Fortran")
    )
    propose(user, proposal("skills", "0.55", name="Ada"), source=b)
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert "Skip everything from this file" in page
    signed_in.post(reverse("merge_skip_all"), {"group": str(b.group_id)})
    assert sorted(d.proposed.fields()["name"] for d in pending(user)) == ["Cobol", "Fortran"]


# -- 4. The user's own words win -------------------------------------------------------------


def test_a_title_typed_by_hand_is_kept_by_default(signed_in: Client, user: User) -> None:
    with user_context(user.pk):
        job = profile_services.entity_create(
            model=WorkExperience,
            user=user,
            fields={"title": "Staff Engineer", "company": "Acme", "start_date": "2019"},
        )
    propose(user, proposal("work", title="Engineer", company="Acme", start_date="2019"))
    [card] = pending(user)
    assert card.preferences.get("title").value == "profile"
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert 'name="prefer_title" value="profile" checked' in page
    assert job.title == "Staff Engineer"


def test_a_value_typed_after_the_suggestion_is_not_preselected_to_be_overwritten(
    signed_in: Client, user: User
) -> None:
    """The card works its choices out again when the profile changed since."""
    propose(user, proposal("work", title="Engineer", company="Acme", start_date="2019"))
    [job] = current(user, WorkExperience)
    propose(
        user,
        proposal("work", title="Senior Engineer", company="Acme", start_date="2019"),
        source=origin("b.pdf"),
    )
    [card] = pending(user)
    assert card.preferences.get("title").value == "upload"
    with user_context(user.pk):
        profile_services.entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=job.logical_entity_id,
            changes={"title": "Principal Engineer"},
        )
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert 'name="prefer_title" value="profile" checked' in page


# -- 5. Evidence belongs to its entity -------------------------------------------------------


def test_a_value_read_outside_its_entry_is_dropped_not_moved() -> None:
    raw = "AWS Certified Developer 2021\nCKA Credential ID ABC-123\n"
    certificate = schema.Certificate(
        name="AWS Certified Developer",
        credential_id="ABC-123",
        evidence={"name": [(0, 23)], "credentialId": [(47, 54)]},
        block=[(0, 28)],
    )
    dropped = confine(certificate, "Certificate", raw)
    assert certificate.credential_id is None
    assert certificate.name == "AWS Certified Developer"
    assert "credentialId" not in certificate.evidence
    assert dropped == ["Certificate: “ABC-123” was read outside this entry, so it was left out."]


def test_list_values_outside_the_entry_are_dropped_and_the_rest_renumbered() -> None:
    raw = "Engineer at Acme\n- Built A\n- Built B\nOther job\n- Built C\n"
    work = schema.Work(
        position="Engineer",
        highlights=["Built A", "Built C", "Built B"],
        evidence={
            "position": [(0, 8)],
            "highlights.0": [(19, 26)],
            "highlights.1": [(49, 56)],
            "highlights.2": [(29, 36)],
        },
        block=[(0, 36)],
    )
    confine(work, "Job", raw)
    assert work.highlights == ["Built A", "Built B"]
    assert work.evidence["highlights.1"] == [(29, 36)]


# -- 6. Every action offered works -----------------------------------------------------------


def test_accept_all_applies_only_what_is_certain(signed_in: Client, user: User) -> None:
    propose(user, proposal("work", title="Engineer", company="Acme", start_date="2019-01"))
    propose(
        user,
        proposal(
            "work",
            title="Engineer",
            company="Acme",
            start_date="2019-01",
            location="Berlin",
        ),
        proposal("skills", "0.55", name="Cobol"),
        source=origin("b.pdf"),
    )
    assert len(pending(user)) == 2
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert "Accept 1 certain suggestion" in page
    signed_in.post(reverse("merge_accept_all"))
    [job] = current(user, WorkExperience)
    assert job.location == "Berlin"
    [left] = pending(user)
    assert left.proposed.fields()["name"] == "Cobol"


# -- 7. Provenance stays true; duplicates by hand are caught ---------------------------------


def test_adding_by_hand_what_exists_warns_and_offers_it(signed_in: Client, user: User) -> None:
    propose(user, proposal("skills", name="Python"))
    [python] = current(user, Skill)
    url = reverse("entity_new_hx", args=["skills"])
    response = signed_in.post(url, {"name": "python"}, headers=HX)
    assert response.status_code == 409
    text = response.content.decode()
    assert "already has “Python”" in text
    assert reverse("entity_history", args=["skills", python.logical_entity_id]) in text
    assert len(current(user, Skill)) == 1
    signed_in.post(url, {"name": "python", "add_anyway": "1"}, headers=HX)
    assert len(current(user, Skill)) == 2


# -- 8. Search -------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "found"), [("pyhton", "Python"), ("jenkns", "Jenkins")])
def test_search_tolerates_swapped_and_missing_letters(
    signed_in: Client, user: User, query: str, found: str
) -> None:
    propose(user, proposal("skills", name="Python"), proposal("skills", name="Jenkins"))
    propose(user, proposal("skills", name="Java"), proposal("skills", name="PostgreSQL"))
    page = signed_in.get(reverse("profile_search"), {"q": query}).content.decode()
    assert f">{found}</a>" in page
    assert ">Java</a>" not in page


def test_search_filters_with_the_trigram_operator() -> None:
    """The query the search runs uses %> (word similarity), which the GIN indexes serve."""
    person = User.objects.create_user("search@example.com", "x-password-123")
    with user_context(person.pk), CaptureQueriesContext(connection) as queries:
        entity_search(user=person, query="python")
    assert any("%>" in query["sql"] for query in queries.captured_queries)


# -- 9. Removed entries can be found and restored -------------------------------------------


def test_removed_entries_are_listed_and_restored(signed_in: Client, user: User) -> None:
    propose(user, proposal("skills", name="Python"))
    [python] = current(user, Skill)
    signed_in.post(reverse("entity_retire_hx", args=["skills", python.logical_entity_id]))
    page = signed_in.get(reverse("entity_removed", args=["skills"])).content.decode()
    assert "Python" in page
    assert "1 removed" in signed_in.get(reverse("entity_list", args=["skills"])).content.decode()
    signed_in.post(reverse("entity_revert", args=["skills", python.logical_entity_id, 1]))
    assert [skill.name for skill in current(user, Skill)] == ["Python"]
    assert (
        "Python" not in signed_in.get(reverse("entity_removed", args=["skills"])).content.decode()
    )


# -- 10. Evidence stays with the fact --------------------------------------------------------


def test_the_history_shows_where_each_value_was_read(signed_in: Client, user: User) -> None:
    text = "SKILLS\nPython, Go\n"
    propose(
        user,
        proposal("skills", name="Python", evidence={"name": [[7, 13]]}),
        source=origin("cv.pdf", text=text),
    )
    [python] = current(user, Skill)
    assert python.origin is not None
    assert python.origin.label == "cv.pdf"
    page = signed_in.get(
        reverse("entity_history", args=["skills", python.logical_entity_id])
    ).content.decode()
    assert "<mark>Python</mark>" in page
    assert 'href="/sources/cv.pdf/file"' in page
    # A revert by hand keeps where the facts came from, as the person's act.
    signed_in.post(reverse("entity_retire_hx", args=["skills", python.logical_entity_id]))
    signed_in.post(reverse("entity_revert", args=["skills", python.logical_entity_id, 1]))
    [back] = current(user, Skill)
    assert (back.source, back.change_reason) == ("manual", "Restored version 1 (from cv.pdf).")
    assert back.origin is not None
    assert back.origin.label == "cv.pdf"


# -- A second user sees none of it -----------------------------------------------------------


def test_a_second_user_sees_none_of_it(client: Client, user: User, other_user: User) -> None:
    propose(user, proposal("skills", "0.55", name="Cobol"), proposal("skills", name="Python"))
    [python] = current(user, Skill)
    [card] = pending(user)
    client.force_login(other_user)
    assert "Cobol" not in client.get(reverse("merge_review")).content.decode()
    history = reverse("entity_history", args=["skills", python.logical_entity_id])
    assert client.get(history).status_code == 404
    assert client.post(reverse("merge_decision_hx", args=[card.pk])).status_code == 404
    assert "Python" not in client.get(reverse("entity_removed", args=["skills"])).content.decode()
    client.post(reverse("merge_skip_all"), {"group": str(card.source_group_id)})
    assert [d.pk for d in pending(user)] == [card.pk]
    assert "Python" not in client.get(reverse("profile_search"), {"q": "pyhton"}).content.decode()


# -- The review page costs a fixed number of queries ----------------------------------------


def test_the_review_page_issues_the_same_queries_for_two_cards_or_thirty(
    signed_in: Client, user: User
) -> None:
    propose(user, proposal("work", title="Engineer", company="Acme", start_date="2019-01"))

    def queries() -> tuple[int, int]:
        """Statements of a visit with no card rendered yet, then of the next visit."""
        cache.clear()
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                assert signed_in.get(reverse("merge_review")).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts[0], counts[1]

    propose(
        user,
        proposal("work", title="Engineer", company="Acme", start_date="2019-01", location="Rome"),
        proposal("skills", "0.5", name="Skill 0"),
        source=origin("a.pdf"),
    )
    two = queries()
    propose(
        user,
        *(proposal("skills", "0.5", name=f"Skill {n}") for n in range(1, 16)),
        source=origin("b.pdf"),
    )
    propose(
        user,
        *(proposal("skills", "0.5", name=f"Other {n}") for n in range(14)),
        source=origin("c.pdf"),
    )
    assert len(pending(user)) == 31
    assert queries() == two
    cold, warm = two
    assert warm == cold - 2  # cached cards: neither their decisions nor their targets read


def test_a_rendered_card_is_kept_until_what_it_shows_changes(
    signed_in: Client, user: User, other_user: User
) -> None:
    """Cards are cached rendered; the profile entry a card is set against, a second source
    joining it and the person's policy each show on the next visit."""
    [applied] = propose(user, proposal("work", title="Engineer", company="Acme"))
    assert applied.target_entity_id is not None
    propose(
        user,
        proposal("work", title="Engineer", company="Acme", location="Rome"),
        proposal("skills", "0.55", name="Cobol"),
        source=origin("a.pdf"),
    )

    def review() -> str:
        return signed_in.get(reverse("merge_review")).content.decode()

    def cards(page: str) -> list[str]:
        return re.findall(r"<article.*?</article>", page, flags=re.DOTALL)

    first = review()
    assert "Rome" in first
    assert "Cobol" in first
    assert "Milan" not in first
    assert len(cards(first)) == 2
    assert cards(review()) == cards(first)  # as cached
    with user_context(user.pk):
        profile_services.entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=applied.target_entity_id,
            changes={"location": "Milan"},
        )
    assert "Milan" in review()  # the profile's side of the card, now version 2
    propose(user, proposal("skills", "0.55", name="Cobol"), source=origin("b.pdf"))
    assert "Also in:" in review()
    assert "from 80%" in review()
    signed_in.post(reverse("merge_settings"), {"new_entities": "0.60", "threshold": ""})
    page = review()
    assert "from 60%" in page
    assert "from 80%" not in page
    signed_in.force_login(other_user)
    page = review()
    assert "Cobol" not in page
    assert "Rome" not in page


def test_a_new_release_renders_the_cards_afresh(signed_in: Client, user: User) -> None:
    """A card kept rendered by one release is not shown by the next: its markup may have
    changed with it."""
    propose(user, proposal("skills", "0.5", name="Cobol"), source=origin("a.pdf"))
    cache.clear()

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("merge_review")).status_code == 200
        return len(captured.captured_queries)

    with override_settings(RELEASE="one"):
        cold, warm = statements(), statements()
    with override_settings(RELEASE="two"):
        assert statements() == cold
    assert warm < cold  # the card as kept: its decision not read


def test_the_database_tells_confident_suggestions_as_python_does(user: User) -> None:
    """The review counts certain suggestions with the confidence checks in SQL: they pick
    the same decisions as ``is_confident``, missing confidences included."""
    policy = services.Policy(Decimal("0.80"), None)
    with user_context(user.pk):
        for source_confidence in [None, "0.50", "0.80", "0.95"]:
            for confidence_score in [None, "0.50", "0.85", "0.90"]:
                for decision_type in [DecisionType.MERGE, DecisionType.KEEP_SEPARATE]:
                    for target in [None, uuid.uuid4()]:
                        MergeDecision.objects.create(
                            user=user,
                            entity_type="skill",
                            source_entity_id=uuid.uuid4(),
                            target_entity_id=target,
                            decision_type=decision_type,
                            source_confidence=source_confidence and Decimal(source_confidence),
                            confidence_score=confidence_score and Decimal(confidence_score),
                        )
        decisions = list(MergeDecision.objects.for_user(user))
        in_sql = set(
            MergeDecision.objects.filter(services.confident(policy)).values_list("pk", flat=True)
        )
    in_python = {d.pk for d in decisions if services.is_confident(d, policy)}
    assert len(decisions) == 64
    assert 0 < len(in_python) < 64
    assert in_sql == in_python


def test_the_review_counts_as_certain_what_accept_all_applies(
    signed_in: Client, user: User
) -> None:
    """The review's certain counts (confidence in SQL, the proposal checked in Python for
    those only) are ``is_certain``'s, for a sure merge, an unsure entry, a junk certificate
    read surely and an entry lacking a required field."""
    propose(user, proposal("work", title="Engineer", company="Acme", start_date="2019-01"))
    propose(
        user,
        proposal("work", title="Engineer", company="Acme", start_date="2019-01", location="Rome"),
        proposal("skills", "0.55", name="Cobol"),
        proposal("certifications", "0.95", name="Issued", issuing_organization="Acme"),
        proposal("work", "0.95", company="Initech"),
        source=origin("b.pdf"),
    )
    waiting = pending(user)
    assert len(waiting) == 4
    policy = services.Policy.of(user.pk)
    certain = [d for d in waiting if services.is_certain(d, policy)]
    assert len(certain) == 1
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert "Accept 1 certain suggestion" in page
    assert "4 entries wait for you" in page


def test_a_long_review_shows_a_page_of_cards_and_loads_the_rest(
    signed_in: Client, user: User, client: Client, other_user: User
) -> None:
    source = origin("long.pdf")
    shown = selectors.CARDS_SHOWN
    propose(
        user,
        *(proposal("skills", "0.5", name=f"Skill {n}") for n in range(shown + 5)),
        source=source,
    )
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert page.count('class="card decision"') == shown
    assert "Show 5 more from this file" in page
    more = signed_in.get(
        reverse("merge_group_hx"), {"group": str(source.group_id), "offset": str(shown)}, headers=HX
    ).content.decode()
    assert more.count('class="card decision"') == 5
    assert "more from this file" not in more
    client.force_login(other_user)
    stranger = client.get(reverse("merge_group_hx"), {"group": str(source.group_id), "offset": "0"})
    assert stranger.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_sources_finishing_together_add_one_copy() -> None:
    """Two uploads proposing the same new job at the same moment: the second waits for the
    first and matches what it applied, instead of adding a second copy."""
    person = profile_services.user_sign_up(email="together@example.com", password=uuid.uuid4().hex)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def upload(label: str) -> None:
        try:
            job = proposal("work", title="Data Engineer", company="Initech", start_date="2019-01")
            barrier.wait(timeout=10)
            propose(person, job, source=origin(label))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(n,)) for n in ["a.pdf", "b.pdf"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with user_context(person.pk):
        assert WorkExperience.objects.for_user(person).current().count() == 1
        assert MergeDecision.objects.for_user(person).count() == 2
