from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "bellwether.integrations.scim"
    label = "scim"
    verbose_name = "SCIM provisioning"
