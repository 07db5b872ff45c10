"""``/integrations/chat/``: Slack and Teams for the admin, channel choices for members."""

from django.urls import path

from bellwether.integrations.chat import views

app_name = "chat"

urlpatterns = [
    path("", views.admin, name="admin"),
    path("slack/connect", views.connect_slack, name="connect_slack"),
    path("slack/disconnect", views.disconnect_slack, name="disconnect_slack"),
    path("teams/connect", views.connect_teams, name="connect_teams"),
    path("teams/disconnect", views.disconnect_teams, name="disconnect_teams"),
    path("preferences/", views.preferences, name="preferences"),
]
