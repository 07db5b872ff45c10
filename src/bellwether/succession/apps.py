from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    name = "bellwether.succession"
    label = "succession"
