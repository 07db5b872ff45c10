"""Readiness report pages (included by ``assessments.urls``)."""

from django.urls import path

from bellwether.assessments import views_reports

urlpatterns = [
    path("leaders/<int:person_id>/report/", views_reports.report, name="report"),
    path("leaders/<int:person_id>/report.pdf", views_reports.report_pdf, name="report_pdf"),
    path("organisation/", views_reports.organisation, name="organisation"),
    path(
        "organisation/export.xlsx",
        views_reports.organisation_export,
        name="organisation_export",
    ),
]
