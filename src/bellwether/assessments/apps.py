from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "bellwether.assessments"
    label = "assessments"
