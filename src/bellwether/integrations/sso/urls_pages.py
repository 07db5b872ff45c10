"""``/integrations/sso/``: the admin's page for the organisation's identity provider."""

from django.urls import path

from bellwether.integrations.sso import views

app_name = "sso_admin"

urlpatterns = [
    path("", views.provider_settings, name="settings"),
    path("remove", views.remove_provider, name="remove"),
]
