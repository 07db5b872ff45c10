"""Core's own URLs: the health check and the favicon. Included with the organisation's
pages (``accounts.urls_home``) under the ``core`` namespace by ``bellwether/urls.py``."""

from django.urls import path

from bellwether.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
]
