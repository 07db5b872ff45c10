from django.urls import path

from bellwether.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("capacity/", views.capacity, name="capacity"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/package/", views.edit, name="edit"),
    path("<int:pk>/chain/", views.chain, name="chain"),
    path("<int:pk>/metrics/new/", views.metric_new, name="metric_new"),
    path("<int:pk>/measurements/", views.measurements, name="measurements"),
    path("<int:pk>/gates/<str:key>/", views.gate, name="gate"),
    path("<int:pk>/gates/<str:key>/evidence/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/stage/", views.stage, name="stage"),
    path("<int:pk>/alignment/", views.align, name="align"),
    path("<int:pk>/teams/start/", views.start_team, name="start_team"),
    path("<int:pk>/package.pdf", views.package_pdf, name="pdf"),
]
