from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "bellwether.coaching"
    label = "coaching"
