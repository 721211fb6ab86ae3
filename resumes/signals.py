"""What the resume pipeline tells the apps above it (which resumes must not import).

``version_completed`` is sent when a version's pipeline completes, inside the transaction
that completes it (receivers that enqueue work do so on commit), with ``version_id`` and
``user_id``; by then what the version added or changed is in the profile or waits for
review. Enrichment listens to queue its ``resume_enrichment`` job.
"""

from __future__ import annotations

from django.dispatch import Signal

version_completed = Signal()
