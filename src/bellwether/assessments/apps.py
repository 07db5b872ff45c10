from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    # Nothing is scored as ratings come in: results are released once, when a cycle
    # closes (``release.py``).
    name = "bellwether.assessments"
    label = "assessments"
