"""CareerOS: settings, URLs, the Celery app and the infrastructure the apps share."""

from careeros.celery import app as celery_app

__all__ = ("celery_app",)
