from django.urls import path

from bellwether.influence import views

app_name = "influence"
urlpatterns = [
    path("", views.home, name="home"),
]
