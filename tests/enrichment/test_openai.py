"""The OpenAI provider against a local OpenAI-compatible server, through the grounding check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from careeros.ai import ChatClient, TransientProviderError
from careeros.db.rls import user_context
from enrichment import services
from enrichment.models import CareerEnrichment, CareerNarrative, EnrichmentJob, EntryEnrichment
from enrichment.providers import OpenAIProvider
from enrichment.schemas import JobInput, JobType
from profiles.models import User
from tests.enrichment.fixtures import CAREER, create_career
from tests.test_openai_provider import FakeOpenAI, Reply, completion, server  # noqa: F401


@pytest.fixture
def provider(server: FakeOpenAI) -> Iterator[OpenAIProvider]:  # noqa: F811
    client = ChatClient(
        api_key="test-key", base_url=server.url, model="test-model", timeout=5, max_retries=0
    )
    try:
        yield OpenAIProvider(client=client)
    finally:
        client.close()


def statement(text: str, *cites: Any) -> dict[str, Any]:
    return {"text": text, "cites": [str(c.pk) for c in cites]}


def analysis(**columns: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "career_summary": [],
        "professional_strengths": [],
        "growth_trajectory": [],
        "industry_positioning": [],
        "impact_statements": [],
        "narratives": [],
        "confidence": 0.8,
    }
    answer.update(columns)
    return answer


def run(user: User, provider: OpenAIProvider, job_type: JobType, **kwargs: Any) -> EnrichmentJob:
    with user_context(user.pk):
        job = services.enrichment_job_queue(user=user, job_type=job_type, enqueue=False, **kwargs)
    services.enrichment_job_run(job_id=job.pk, user_id=user.pk, provider=provider)
    with user_context(user.pk):
        job.refresh_from_db()
    return job


def test_grounded_answer_is_stored_and_invented_ones_refused(
    server: FakeOpenAI,  # noqa: F811
    provider: OpenAIProvider,
    user: User,
    other_user: User,
) -> None:
    """What the profile backs is stored with the model and prompt recorded; a sentence with
    an invented number, or citing another person's entity, is refused and listed."""
    junior, senior, *_ = create_career(user)
    stranger = create_career(other_user, CAREER[:1])[0]
    server.replies = [
        Reply(
            body=completion(
                json.dumps(
                    analysis(
                        career_summary=[
                            statement("Cut page load time by 40% at Acme Corp.", junior),
                            statement("Grew revenue by 300% at Acme Corp.", junior),
                        ],
                        professional_strengths=[
                            statement("Python across the billing service.", stranger),
                            statement("Python across the billing service.", junior),
                        ],
                        narratives=[
                            {
                                "narrative_type": "growth",
                                "title": "Promoted at Acme Corp",
                                "statements": [
                                    statement(
                                        "Promoted from Junior Developer to Senior Developer.",
                                        junior,
                                        senior,
                                    )
                                ],
                                "time_period": "2017-01",
                                "relevance": 0.8,
                            },
                            {
                                "narrative_type": "transition",
                                "title": "Hired by Google",
                                "statements": [statement("Joined Google in 2023.", senior)],
                                "time_period": "2023-01",
                                "relevance": 0.7,
                            },
                            {
                                "narrative_type": "challenge",
                                "title": "A gap",
                                "statements": [
                                    statement("A gap between two roles at Acme Corp.", senior)
                                ],
                                "time_period": "1999-01",
                                "relevance": 0.5,
                            },
                        ],
                    )
                )
            )
        )
    ]
    job = run(user, provider, JobType.PROFILE_ANALYSIS)
    assert job.status == "completed", job.error_details
    with user_context(user.pk):
        enrichment = CareerEnrichment.objects.get(job=job)
        narratives = list(CareerNarrative.objects.filter(job=job))
    assert enrichment.career_summary == "Cut page load time by 40% at Acme Corp."
    assert enrichment.professional_strengths == ["Python across the billing service."]
    assert enrichment.ai_model_used == "openai:test-model"
    assert enrichment.confidence_score is not None
    assert enrichment.generation_prompt
    assert "never add a number" in enrichment.generation_prompt
    assert [n.title for n in narratives] == ["Promoted at Acme Corp"]
    assert narratives[0].generation_context
    rejected = " ".join(job.output.rejected)
    assert "the number 300 is not in your profile" in rejected
    assert "not yours" in rejected
    assert "Google" in rejected
    assert "the number 1999 is not in your profile" in rejected
    body = server.requests[0]["body"]
    assert body["store"] is False
    assert body["response_format"]["type"] == "json_schema"
    user_message = body["messages"][1]["content"]
    assert user_message.startswith("FACTS:\n")
    facts = json.loads(user_message.removeprefix("FACTS:\n"))
    assert {role["company"] for role in facts["roles"]} == {"Acme Corp", "Globex"}
    assert str(stranger.pk) not in user_message


def test_entry_answer_with_an_invented_number_is_refused(
    server: FakeOpenAI,  # noqa: F811
    provider: OpenAIProvider,
    user: User,
) -> None:
    """An entry rewrite that adds a number the entry never had is not proposed."""
    create_career(user, CAREER[:1])
    server.replies = [
        Reply(
            body=completion(
                json.dumps(
                    {
                        "enhanced_description": "Cut page load time by 60% for 2 million users.",
                        "achievement_bullets": ["Cut page load time by 40%"],
                        "industry_context": None,
                        "confidence": 0.7,
                    }
                )
            )
        )
    ]
    job = run(user, provider, JobType.BULK_ENHANCEMENT, input=JobInput(section="work_experience"))
    assert job.status == "completed", job.error_details
    with user_context(user.pk):
        proposal = EntryEnrichment.objects.get(job=job)
    assert proposal.enhanced_description is None
    assert proposal.achievement_bullets == ["Cut page load time by 40%"]
    assert proposal.ai_model_used == "openai:test-model"
    assert any("60" in why for why in job.output.rejected)


def test_a_failing_ai_service_fails_the_job_with_a_reason(
    server: FakeOpenAI,  # noqa: F811
    provider: OpenAIProvider,
    user: User,
) -> None:
    """A permanent AI error ends the job failed with a message a person can read."""
    create_career(user, CAREER[:1])
    server.replies = [Reply(status=400, body={"error": {"message": "bad request"}})]
    job = run(user, provider, JobType.PROFILE_ANALYSIS)
    assert job.status == "failed"
    assert job.error_details is not None
    assert "rejected the request (400)" in job.error_details


def test_a_transient_ai_failure_queues_the_job_again(
    server: FakeOpenAI,  # noqa: F811
    provider: OpenAIProvider,
    user: User,
) -> None:
    """A 503 puts the job back in the queue (for the task to retry with backoff)."""
    create_career(user, CAREER[:1])
    server.replies = [Reply(status=503, body={"error": {"message": "overloaded"}})]
    with user_context(user.pk):
        job = services.enrichment_job_queue(
            user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
        )
    with pytest.raises(TransientProviderError):
        services.enrichment_job_run(job_id=job.pk, user_id=user.pk, provider=provider)
    with user_context(user.pk):
        job.refresh_from_db()
    assert job.status == "queued"
    assert job.current_step is not None
    assert "trying again shortly" in job.current_step


def test_a_job_the_ai_keeps_rate_limiting_ends_unavailable_at_its_cap(
    server: FakeOpenAI,  # noqa: F811
    provider: OpenAIProvider,
    user: User,
    settings: Any,
) -> None:
    """429s with Retry-After queue the job again (the error carries the Retry-After) until
    ENRICHMENT_JOB_ATTEMPT_CAP claims; then it fails "The AI service is unavailable — retry
    later", and no further claim calls the service."""
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 3
    create_career(user, CAREER[:1])
    server.replies = [
        Reply(status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "1"})
    ]
    with user_context(user.pk):
        job = services.enrichment_job_queue(
            user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
        )
    for _ in range(settings.ENRICHMENT_JOB_ATTEMPT_CAP - 1):
        with pytest.raises(TransientProviderError) as raised:
            services.enrichment_job_run(job_id=job.pk, user_id=user.pk, provider=provider)
        assert raised.value.retry_after == "1"
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk, provider=provider) == (
        "failed"
    )
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk, provider=provider) == (
        "skipped"
    )
    with user_context(user.pk):
        job.refresh_from_db()
    assert job.status == "failed"
    assert job.attempts == settings.ENRICHMENT_JOB_ATTEMPT_CAP
    assert (job.error_details or "").startswith("The AI service is unavailable — retry later.")
    assert len(server.requests) == settings.ENRICHMENT_JOB_ATTEMPT_CAP
