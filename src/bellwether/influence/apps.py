from django.apps import AppConfig


class InfluenceConfig(AppConfig):
    name = "bellwether.influence"
    label = "influence"
