from django.urls import path

from bellwether.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.home, name="home"),
]
