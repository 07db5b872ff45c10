from django.urls import path

from bellwether.succession import views

app_name = "succession"
urlpatterns = [
    path("", views.home, name="home"),
    path("positions/new/", views.position_new, name="position_new"),
    path("positions/<int:pk>/", views.position, name="position"),
    path("positions/<int:pk>/successors/", views.successor_add, name="successor_add"),
    path("positions/<int:pk>/transfer/", views.transfer_add, name="transfer_add"),
    path(
        "positions/<int:pk>/transfer/<int:item_pk>/done/",
        views.transfer_done,
        name="transfer_done",
    ),
    path("pathways/", views.pathways, name="pathways"),
    path("pathways/place/", views.place, name="place"),
    path("pathways/<int:pk>/", views.placement, name="placement"),
    path("plan-items/<int:pk>/", views.item_done, name="item_done"),
    path("learnings/", views.learnings, name="learnings"),
    path("learnings/new/", views.learning_new, name="learning_new"),
]
