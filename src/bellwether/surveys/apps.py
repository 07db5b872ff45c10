from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "bellwether.surveys"
    label = "surveys"
