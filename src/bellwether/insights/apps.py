from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "bellwether.insights"
    label = "insights"
    verbose_name = "KPI dashboard"
