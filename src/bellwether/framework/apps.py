from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "bellwether.framework"
    label = "framework"
