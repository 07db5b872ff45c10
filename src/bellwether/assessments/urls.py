from django.urls import include, path

from bellwether.assessments import views_bulk, views_cycles, views_home, views_raters

app_name = "assessments"
urlpatterns = [
    path("", views_home.home, name="home"),
    path("cycles/new/", views_cycles.cycle_new, name="cycle_new"),
    path("wording/", views_cycles.wording, name="wording"),
    path("cycles/<int:pk>/", views_cycles.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/remind/", views_cycles.cycle_remind, name="cycle_remind"),
    path("cycles/<int:pk>/close/", views_cycles.cycle_close, name="cycle_close"),
    path(
        "cycles/<int:pk>/leaders/<int:person_id>/raters/",
        views_raters.leader_raters,
        name="raters",
    ),
    path("cycles/<int:pk>/raters/bulk/", views_bulk.bulk_raters, name="bulk_raters"),
    path("cycles/<int:pk>/nominate/", views_raters.nominate, name="nominate"),
    path("", include("bellwether.assessments.urls_reports")),
]
