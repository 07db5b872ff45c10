"""``/integrations/scim/``: the admin's page for SCIM tokens."""

from django.urls import path

from bellwether.integrations.scim import views

app_name = "scim_admin"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("tokens/new", views.create_token, name="create_token"),
    path("tokens/<int:token_id>/revoke", views.revoke_token, name="revoke_token"),
]
