from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bellwether.core"
    label = "core"
    verbose_name = "Bellwether core"
