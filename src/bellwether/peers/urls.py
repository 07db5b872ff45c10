from django.urls import path

from bellwether.peers import views_events, views_mentoring

app_name = "peers"
urlpatterns = [
    path("", views_events.home, name="home"),
    path("events/new/", views_events.event_new, name="event_new"),
    path("events/<int:pk>/", views_events.event, name="event"),
    path("events/<int:pk>/rsvp/", views_events.event_rsvp, name="event_rsvp"),
    path("events/<int:pk>/attendance/", views_events.event_attendance, name="event_attendance"),
    path("events/<int:pk>/notes/", views_events.event_notes, name="event_notes"),
    path("events/<int:pk>/event.ics", views_events.event_ics, name="event_ics"),
    path("matching/", views_mentoring.matching, name="matching"),
    path("matching/run/", views_mentoring.matching_run, name="matching_run"),
    path("matching/<int:pk>/publish/", views_mentoring.matching_publish, name="matching_publish"),
    path("mentoring/", views_mentoring.mentoring, name="mentoring"),
    path("mentoring/<int:pk>/", views_mentoring.pair, name="pair"),
    path("mentoring/<int:pk>/check-ins/", views_mentoring.pair_check_in, name="pair_check_in"),
    path("mentoring/<int:pk>/end/", views_mentoring.pair_end, name="pair_end"),
]
