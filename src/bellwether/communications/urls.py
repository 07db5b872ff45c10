from django.urls import path

from bellwether.communications import views, views_calendar, views_ratings

app_name = "communications"
urlpatterns = [
    path("", views.home, name="home"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("leaders/<int:pk>/generate/", views.generate, name="generate"),
    path("leaders/<int:pk>/plan/", views.edit, name="edit"),
    path("leaders/<int:pk>/log/", views.log, name="log"),
    path("leaders/<int:pk>/tap/", views.tap, name="tap"),
    path("leaders/<int:pk>/ratings/", views_ratings.ratings, name="ratings"),
    path("leaders/<int:pk>/deliveries/<int:delivery>/rate/", views_ratings.rate, name="rate"),
    path("leaders/<int:pk>/assistants/", views_ratings.assistants, name="assistants"),
    path(
        "leaders/<int:pk>/deliveries/<int:delivery>/attachment/",
        views_ratings.attachment,
        name="attachment",
    ),
    path(
        "leaders/<int:pk>/assistants/<int:delegation>/revoke/",
        views_ratings.revoke_assistant,
        name="revoke_assistant",
    ),
    path("leaders/<int:pk>/calendar/", views_calendar.leader_calendar, name="calendar"),
    path("calendar/", views_calendar.org_calendar, name="org_calendar"),
    path("rhythm/", views_calendar.rhythm, name="rhythm"),
    path("feed/", views_calendar.feed, name="feed"),
    path("feed/<str:token>.ics", views_calendar.ical, name="ical"),
    path("preferences/", views_calendar.preferences, name="preferences"),
]
