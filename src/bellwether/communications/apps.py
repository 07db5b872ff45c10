from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "bellwether.communications"
    label = "communications"
