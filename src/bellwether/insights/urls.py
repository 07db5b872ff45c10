from django.urls import path

from bellwether.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/", views.targets, name="targets"),
    path("kpi/<str:key>/", views.kpi_detail, name="kpi"),
]
