from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "enrichment"
    verbose_name = "AI enrichment"

    def ready(self) -> None:
        # Importing registers them: the system checks, and what queues a job when a resume
        # version completes.
        from enrichment import checks, receivers  # noqa: F401
