from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bellwether.demo"
    label = "demo"
