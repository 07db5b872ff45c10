from django.apps import AppConfig


class InfluenceConfig(AppConfig):
    name = "bellwether.influence"
    label = "influence"

    def ready(self) -> None:
        from bellwether.influence import signals

        signals.connect()
