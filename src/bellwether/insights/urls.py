from django.urls import path

from bellwether.insights import views, views_home

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/", views.targets, name="targets"),
    path("kpi/<str:key>/", views.kpi_detail, name="kpi"),
    path("inbox/", views_home.inbox, name="inbox"),
    path("inbox/count/", views_home.inbox_count, name="inbox_count"),
]
