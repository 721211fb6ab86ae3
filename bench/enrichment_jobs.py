"""Profile analysis for many people: jobs per second per worker, job time, ungrounded statements.

Builds (once, kept for re-runs) a ``careeros_bench_enrichment`` database with ``--users``
people (default 1,000), each with a generated career (2–6 roles over up to four employers,
with promotions, gaps, field changes and quantified bullets; skills; a degree). Then queues a
``profile_analysis`` job for every person and runs ``--workers`` worker processes (default
2) that claim jobs with ``SELECT … FOR UPDATE SKIP LOCKED`` and run them with the offline
provider, exactly as the Celery task does (claim, work, finish in the owner's context).

Prints jobs per second per worker, the median and p95 job time (claim to completion), and
the count of ungrounded statements: those the grounding check refused while the jobs ran,
plus any stored statement that fails a fresh check against its owner's entities (goal 0).

Usage: ``.venv/bin/python bench/enrichment_jobs.py [--users 1000] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django

from careeros.embedded import export_environment

export_environment()
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402

from careeros.db.rls import system_context, user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from enrichment import selectors, services  # noqa: E402
from enrichment.facts import compute  # noqa: E402
from enrichment.grounding import Ground  # noqa: E402
from enrichment.models import CareerEnrichment, CareerNarrative, EnrichmentJob  # noqa: E402
from enrichment.schemas import JobType  # noqa: E402
from profiles.models import Education, Profile, Skill, User, WorkExperience  # noqa: E402

COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella Labs", "Stark Industries", "Hooli"]
TRACKS = [
    ["Junior Developer", "Software Engineer", "Senior Software Engineer", "Lead Engineer"],
    ["Data Analyst", "Data Scientist", "Senior Data Scientist", "Head of Data"],
    ["Junior Designer", "Product Designer", "Senior Product Designer", "Design Manager"],
]
BULLETS = [
    "Cut page load time by {n}%",
    "Migrated {k},000 customer accounts to PostgreSQL",
    "Led a team of {n} engineers",
    "Reduced cloud costs by ${n}k a year",
    "Shipped the mobile app in {n} weeks",
    "Maintained the billing service in Python",
]
SKILLS = ["Python", "SQL", "PostgreSQL", "Docker", "Figma", "Kubernetes"]


def career(rng: random.Random) -> tuple[list[dict[str, str]], list[str]]:
    """A plausible career: roles oldest first along a track, sometimes switching track."""
    track = rng.choice(TRACKS)
    year, month = rng.randint(2005, 2016), rng.randint(1, 12)
    roles = []
    company = rng.choice(COMPANIES)
    for level in range(rng.randint(2, 6)):
        if rng.random() < 0.15:
            track = rng.choice(TRACKS)  # a change of field
        if level and rng.random() < 0.5:
            company = rng.choice(COMPANIES)
        months = rng.randint(8, 40)
        end_year, end_month = divmod(year * 12 + month - 1 + months, 12)
        bullets = [
            b.format(n=rng.randint(2, 60), k=rng.randint(1, 20))
            for b in rng.sample(BULLETS, rng.randint(1, 3))
        ]
        roles.append(
            {
                "title": track[min(level, len(track) - 1)],
                "company": company,
                "start_date": f"{year}-{month:02d}",
                "end_date": f"{end_year}-{end_month + 1:02d}",
                "description": "\n".join(f"- {b}" for b in bullets),
            }
        )
        gap = rng.choice([0, 0, 0, 1, 6])
        year, month = divmod(end_year * 12 + end_month + 1 + gap, 12)
        month += 1
    roles[-1]["end_date"] = ""
    return roles, rng.sample(SKILLS, 3)


def prepare(users: int) -> list[uuid.UUID]:
    """Create the bench database (kept) and seed the people it lacks; return their ids."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench_enrichment"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    with system_context():
        have = User.objects.filter(email__startswith="bench").count()
    if have < users:
        started = time.perf_counter()
        seed(have, users)
        print(f"seeded {users - have} people in {time.perf_counter() - started:.1f} s")
    with system_context():
        return list(
            User.objects.filter(email__startswith="bench")
            .order_by("email")
            .values_list("pk", flat=True)[:users]
        )


def seed(start: int, end: int) -> None:
    for first in range(start, end, 200):
        batch = range(first, min(end, first + 200))
        people = [
            User(id=uuid.uuid4(), email=f"bench{n:06d}@example.com", password="!")  # noqa: S106 - unusable
            for n in batch
        ]
        work, skills, education = [], [], []
        for n, person in zip(batch, people, strict=True):
            rng = random.Random(n)  # noqa: S311 - reproducible careers, not secrets
            roles, names = career(rng)
            work += [
                WorkExperience(user=person, **{k: v or None for k, v in role.items()})
                for role in roles
            ]
            skills += [Skill(user=person, name=name) for name in names]
            education.append(
                Education(
                    user=person,
                    institution="University of Leeds",
                    degree="BSc",
                    field_of_study="Computer Science",
                    end_date=str(int(roles[0]["start_date"][:4]) - 1),
                )
            )
        with system_context():
            User.objects.bulk_create(people)
            Profile.objects.bulk_create(Profile(user=p, email=p.email) for p in people)
            WorkExperience.objects.bulk_create(work)
            Skill.objects.bulk_create(skills)
            Education.objects.bulk_create(education)


def worker(index: int, results: multiprocessing.Queue) -> None:
    """Claim and run jobs until the queue is empty; report how many and for how long."""
    connections.close_all()
    done, started = 0, time.perf_counter()
    while True:
        with system_context():
            claim = services.enrichment_job_claim_next(job_types=[JobType.PROFILE_ANALYSIS])
        if claim is None:
            break
        services.enrichment_job_work(claim)
        done += 1
    results.put((index, done, time.perf_counter() - started))


def recheck(user_ids: list[uuid.UUID]) -> int:
    """Stored statements that fail a fresh grounding check against their owner's entities."""
    failing = 0
    for user_id in user_ids:
        with user_context(user_id):
            entries = selectors.profile_entries(user_id)
            ground = Ground.of(entries, compute(entries, today=date.today()))
            for enrichment in CareerEnrichment.objects.filter(user_id=user_id):
                for statements in enrichment.sentences.root.values():
                    failing += sum(bool(ground.check(s)) for s in statements)
            for narrative in CareerNarrative.objects.filter(user_id=user_id):
                failing += sum(bool(ground.check(s)) for s in narrative.sentences)
    return failing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    user_ids = prepare(args.users)
    with system_context():
        EnrichmentJob.objects.filter(user_id__in=user_ids).delete()  # a fresh run each time
        for user_id in user_ids:
            services.enrichment_job_queue(
                user=User(pk=user_id), job_type=JobType.PROFILE_ANALYSIS, enqueue=False
            )
    connections.close_all()
    results: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    processes = [context.Process(target=worker, args=(i, results)) for i in range(args.workers)]
    for process in processes:
        process.start()
    reports = [results.get() for _ in processes]
    for process in processes:
        process.join()
    wall = time.perf_counter() - started
    with system_context():
        jobs = list(EnrichmentJob.objects.filter(user_id__in=user_ids))
    completed = [j for j in jobs if j.status == "completed"]
    times = sorted(
        (j.completed_at - j.started_at).total_seconds() * 1000
        for j in completed
        if j.completed_at and j.started_at
    )
    refused = sum(len(j.output.rejected) for j in jobs)
    statements = sum(j.output.statements for j in completed)
    failing = recheck(user_ids)
    print(f"people: {len(user_ids)}; jobs: {len(jobs)}, completed {len(completed)}")
    print(f"workers: {args.workers}; wall time {wall:.1f} s; {len(completed) / wall:.1f} jobs/s")
    for index, done, elapsed in sorted(reports):
        print(f"  worker {index}: {done} jobs, {done / elapsed:.1f} jobs/s")
    if times:
        p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
        print(f"job time: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    print(f"statements written: {statements}")
    print(
        f"ungrounded statements: {refused + failing} (refused while running {refused}, "
        f"failing a fresh check {failing})"
    )


if __name__ == "__main__":
    main()
