"""Who asks and who reads: the offline interviewer (the default), or the configured model.

An interviewer phrases the open topic's next question and reads an answer into findings.
The offline one asks the planner's questions and reads with ``interviews.reading``.
"""

from __future__ import annotations

from typing import Protocol

from interviews.reading import read_answer
from interviews.schemas import Finding, SessionConfig, Topic


class Interviewer(Protocol):
    name: str

    def question(self, topic: Topic, config: SessionConfig) -> str: ...

    def read(self, topic: Topic, answer: str) -> list[Finding]: ...


class RulesInterviewer:
    """Offline: the planned questions, answers read by answer patterns."""

    name = "rules"

    def question(self, topic: Topic, config: SessionConfig) -> str:
        question = topic.next_question
        assert question is not None
        return question

    def read(self, topic: Topic, answer: str) -> list[Finding]:
        return read_answer(topic, answer)


def interviewer_for(engine: str | None) -> Interviewer:
    """The interviewer a session was started with (None: the configured one)."""
    return RulesInterviewer()
