from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bellwether.core"
    label = "core"
    verbose_name = "Bellwether core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from bellwether.core import checks  # noqa: F401  (registers the deploy checks)
        from bellwether.core.security import restrict_sqlite_on_connect

        connection_created.connect(
            restrict_sqlite_on_connect, dispatch_uid="bellwether-sqlite-modes"
        )
