from django.urls import path

from bellwether.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
]
