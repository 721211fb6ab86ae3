"""The Celery start-up the Procfile uses (``celery -A careeros.worker worker|beat``):
embedded servers for an unset DATABASE_URL/REDIS_URL, then the Celery app."""

from careeros.embedded import export_environment

export_environment()

from careeros.celery import app  # noqa: E402 - after the environment is complete

__all__ = ["app"]
