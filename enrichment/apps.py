from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "enrichment"
    verbose_name = "AI enrichment"

    def ready(self) -> None:
        # Importing registers them: what queues a job when a resume version completes.
        from enrichment import receivers  # noqa: F401
