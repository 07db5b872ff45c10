from django.urls import path

from bellwether.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("capacity/", views.capacity, name="capacity"),
    path("new/", views.new, name="new"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:decision_pk>/", views.decision, name="decision"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/package/", views.edit, name="edit"),
    path("<int:pk>/chain/", views.chain, name="chain"),
    path("<int:pk>/metrics/new/", views.metric_new, name="metric_new"),
    path("<int:pk>/metrics/<int:metric_pk>/", views.metric_edit, name="metric_edit"),
    path("<int:pk>/measurements/", views.measurements, name="measurements"),
    path("<int:pk>/impacts/new/", views.impact_new, name="impact_new"),
    path("<int:pk>/impacts/<int:impact_pk>/", views.impact_edit, name="impact_edit"),
    path("<int:pk>/decision-rights/new/", views.right_new, name="right_new"),
    path("<int:pk>/decision-rights/<int:right_pk>/", views.right_edit, name="right_edit"),
    path("<int:pk>/raci/", views.raci, name="raci"),
    path("<int:pk>/before-after/", views.before_after, name="before_after"),
    path("<int:pk>/adoption/", views.adoption, name="adoption"),
    path("<int:pk>/gates/<str:key>/", views.gate, name="gate"),
    path("<int:pk>/gates/<str:key>/evidence/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/stage/", views.stage, name="stage"),
    path("<int:pk>/alignment/", views.align, name="align"),
    path("<int:pk>/signatories/", views.signatories, name="signatories"),
    path("<int:pk>/teams/start/", views.start_team, name="start_team"),
    path("<int:pk>/package.pdf", views.package_pdf, name="pdf"),
]
