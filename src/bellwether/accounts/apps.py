from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bellwether.accounts"
    label = "accounts"
