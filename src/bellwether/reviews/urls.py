from django.urls import path

from bellwether.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", views.cycle, name="cycle"),
    path("cycles/<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/scores/", views.adjust, name="adjust"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
