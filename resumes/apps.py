from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "resumes"
    verbose_name = "Resumes"

    def ready(self) -> None:
        # Importing registers them: the system checks, and what records merge outcomes.
        from resumes import checks, receivers  # noqa: F401
