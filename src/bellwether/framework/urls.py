from django.urls import path

from bellwether.framework import views

app_name = "framework"
urlpatterns = [path("", views.catalogue, name="catalogue")]
