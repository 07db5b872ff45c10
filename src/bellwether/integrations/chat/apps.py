from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "bellwether.integrations.chat"
    label = "chat"
    verbose_name = "Slack and Microsoft Teams"
