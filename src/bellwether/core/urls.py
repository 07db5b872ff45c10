"""Core's own URLs: liveness, readiness, metrics and the favicon. Included with the organisation's
pages (``accounts.urls_home``) under the ``core`` namespace by ``bellwether/urls.py``."""

from django.urls import path

from bellwether.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_page, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
]
