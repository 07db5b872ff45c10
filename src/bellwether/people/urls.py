from django.urls import path

from bellwether.people import views

app_name = "people"
urlpatterns = [
    path("", views.people_list, name="list"),
    path("org-chart/", views.org_chart, name="org_chart"),
    path("import/", views.import_upload, name="import"),
    path("<int:pk>/", views.person_detail, name="detail"),
]
