"""A text interview in the terminal: questions on stdout, one answer a line from stdin."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F

from careeros.db.rls import system_context, user_context
from interviews import services
from interviews.models import SessionType
from profiles.models import User, WorkExperience


class Command(BaseCommand):
    help = (
        "Interview the user with e-mail EMAIL: each question is printed, each answer is one "
        "line of standard input; the interview ends at end of input or a line “done”, then "
        "the merge decisions it produced are printed. Same sessions, transcripts and merge "
        "review as the web interview."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the person's e-mail address")
        parser.add_argument(
            "--type",
            required=True,
            choices=[value for value, _ in SessionType.choices],
            dest="session_type",
        )
        parser.add_argument(
            "--job",
            default="",
            help="for role_deep_dive: words of the job's title or company (default: the "
            "latest job)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # An operator's command: the address is looked up through the system login.
            with system_context():
                user = User.objects.get(email__iexact=options["user"].strip())
        except User.DoesNotExist:
            raise CommandError(f"No user with the e-mail address {options['user']}.") from None
        job_id = None
        if options["session_type"] == SessionType.ROLE_DEEP_DIVE:
            job_id = self._job(user, options["job"]).logical_entity_id
        try:
            session = services.interview_session_start(
                user=user, session_type=options["session_type"], job_id=job_id
            )
        except services.InterviewError as error:
            raise CommandError(str(error)) from None
        question = self._first_question(session)
        while question is not None:
            self.stdout.write(question)
            line = sys.stdin.readline()
            if not line or line.strip().lower() in services.END_WORDS:
                break
            try:
                step = services.interview_answer(user=user, session_id=session.pk, text=line)
            except services.InterviewError as error:
                self.stderr.write(str(error))
                continue
            for finding in step.findings:
                self.stdout.write(f"  learned: {finding.note}")
            question = step.question
        session = services.interview_session_end(user=user, session_id=session.pk)
        decisions = services.interview_decisions(session)
        self.stdout.write(f"Interview {session.pk} ended: {len(decisions)} merge decision(s).")
        for decision in decisions:
            self.stdout.write(
                f"- {decision.decision_type} {decision.entity_type} “{decision.proposed.label()}” "
                f"[{decision.status}]: {decision.merge_reason}"
            )

    def _job(self, user: User, words: str) -> WorkExperience:
        with user_context(user.pk):
            jobs = list(
                WorkExperience.objects.for_user(user)
                .current()
                .order_by(F("start_date").desc(nulls_last=True), "-created_at")
            )
        wanted = words.lower().split()
        for job in jobs:
            label = str(job).lower()
            if all(word in label for word in wanted):
                return job
        raise CommandError(
            "No job of theirs matches." if jobs else "They have no job in their profile yet."
        )

    def _first_question(self, session: Any) -> str | None:
        turns = services.transcript_turns(session=session)
        return turns[-1].text if turns else None
