from django.urls import path

from bellwether.coaching import views, views_assignments

app_name = "coaching"
urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("assignments/", views_assignments.assignments, name="assignments"),
    path("assignments/import/", views_assignments.import_csv, name="import"),
    path("assignments/<int:pk>/end/", views_assignments.end, name="end"),
    path("coaches/<int:pk>/capacity/", views_assignments.capacity, name="capacity"),
    path("coaches/invite/", views_assignments.invite, name="invite"),
    path("leaders/<int:pk>/start/", views.start, name="start"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/plan/", views.plan, name="plan"),
    path("programmes/<int:pk>/sessions/", views.add_session, name="add_session"),
    path("programmes/<int:pk>/sessions.ics", views.calendar, name="calendar"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/prepare/", views.prepare, name="prepare"),
    path("items/<int:pk>/", views.item, name="item"),
]
