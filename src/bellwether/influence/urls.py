from django.urls import path

from bellwether.influence import views

app_name = "influence"
urlpatterns = [
    path("", views.home, name="home"),
    path("recompute/", views.recompute, name="recompute"),
    path("grid/", views.grid, name="grid"),
    path("messengers/", views.messenger_list, name="messengers"),
    path("planner/", views.planner_page, name="planner"),
    path("planner/<int:pk>/", views.planner_run, name="planner_run"),
    path("ties/", views.tie_list, name="ties"),
    path("ties/import/", views.tie_import, name="import"),
    path("ties/<int:pk>/", views.tie_edit, name="tie_edit"),
    path("profiles/<int:person_id>/", views.profile, name="profile"),
]
