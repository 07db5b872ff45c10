from django.urls import path

from bellwether.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.home, name="home"),
    path("barriers/", views.frequency, name="frequency"),
    path("leaders/<int:pk>/", views.plan, name="plan"),
    path("leaders/<int:pk>/generate/", views.generate, name="generate"),
    path("leaders/<int:pk>/edit/", views.edit, name="edit"),
    path("leaders/<int:pk>/actions/", views.action, name="action"),
    path("leaders/<int:pk>/status/", views.status, name="status"),
    path("leaders/<int:pk>/reviews/", views.review, name="review"),
    path("leaders/<int:pk>/plan.pdf", views.pdf, name="pdf"),
    path("leaders/<int:pk>/barriers/", views.barriers, name="barriers"),
]
