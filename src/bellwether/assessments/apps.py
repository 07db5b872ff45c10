from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "bellwether.assessments"
    label = "assessments"

    def ready(self) -> None:
        from bellwether.assessments import services
        from bellwether.surveys import signals

        signals.confidential_response_submitted.connect(
            services.on_confidential_response, dispatch_uid="assessments.rescore_leader"
        )
