from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "bellwether.development"
    label = "development"
