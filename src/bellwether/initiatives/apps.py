from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "bellwether.initiatives"
    label = "initiatives"
