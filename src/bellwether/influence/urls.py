from django.urls import path

from bellwether.influence import views, views_analysis

app_name = "influence"
urlpatterns = [
    path("", views_analysis.home, name="home"),
    path("network.json", views_analysis.network_data, name="network_data"),
    path("communities/<int:number>/", views_analysis.community_detail, name="community"),
    path("recompute/", views.recompute, name="recompute"),
    path("grid/", views_analysis.grid, name="grid"),
    path("grid/<slug:quadrant>/", views_analysis.grid_quadrant, name="grid_quadrant"),
    path("messengers/", views_analysis.messenger_list, name="messengers"),
    path("planner/", views.planner_page, name="planner"),
    path("planner/<int:pk>/", views.planner_run, name="planner_run"),
    path("ties/", views.tie_list, name="ties"),
    path("ties/import/", views.tie_import, name="import"),
    path("ties/<int:pk>/", views.tie_edit, name="tie_edit"),
    path("profiles/<int:person_id>/", views.profile, name="profile"),
]
