from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bellwether.core"
    label = "core"
    verbose_name = "Bellwether core"

    def ready(self) -> None:
        from bellwether.core import checks  # noqa: F401  (registers the deploy checks)
