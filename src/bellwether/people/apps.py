from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bellwether.people"
    label = "people"
