from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "bellwether.integrations.sso"
    label = "sso"
    verbose_name = "Single sign-on"
