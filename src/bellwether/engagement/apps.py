from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "bellwether.engagement"
    label = "engagement"
