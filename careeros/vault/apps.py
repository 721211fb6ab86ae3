from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "careeros.vault"
    label = "vault"
    verbose_name = "Encrypted data"

    def ready(self) -> None:
        from careeros.vault import checks  # noqa: F401 - registers the system checks
