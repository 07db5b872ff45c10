from django.urls import include, path

from bellwether.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("wording/", views.wording, name="wording"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/remind/", views.cycle_remind, name="cycle_remind"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/leaders/<int:person_id>/raters/", views.leader_raters, name="raters"),
    path("cycles/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("", include("bellwether.assessments.urls_reports")),
]
