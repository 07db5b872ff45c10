from django.apps import AppConfig


class BehavioursConfig(AppConfig):
    name = "bellwether.behaviours"
    label = "behaviours"
