from django.urls import path

from bellwether.people import views, views_import

app_name = "people"
urlpatterns = [
    # Browsing (views.py)
    path("", views.people_list, name="list"),
    path("search/", views.person_search, name="search"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("org-chart/", views.org_chart, name="org_chart"),
    path("<int:pk>/", views.person_detail, name="detail"),
    # Import and export (views_import.py)
    path("export.<str:fmt>", views_import.export_people, name="export"),
    path("import/", views_import.import_upload, name="import"),
    path("import/<int:pk>/", views_import.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views_import.import_progress, name="import_progress"),
]
