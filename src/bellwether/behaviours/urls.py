from django.urls import path

from bellwether.behaviours import views

app_name = "behaviours"
urlpatterns = [
    path("", views.home, name="home"),
    path("check-in/", views.check_in, name="check_in"),
    path("check-in/link/<str:token>/", views.check_in_link, name="check_in_link"),
    path("me/", views.mine, name="mine"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("organisation/", views.organisation, name="organisation"),
    path("observe/", views.observe, name="observe"),
    path("observe/<int:pk>/", views.observe_person, name="observe_person"),
    path("recognitions/", views.recognitions, name="recognitions"),
]
