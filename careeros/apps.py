from django.apps import AppConfig


class CareerosConfig(AppConfig):
    name = "careeros"
    verbose_name = "CareerOS infrastructure"

    def ready(self) -> None:
        from careeros import checks  # noqa: F401 - registers the system checks
