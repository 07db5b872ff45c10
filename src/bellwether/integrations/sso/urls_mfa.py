"""``/security/``: two-factor sign-in and security keys (a member's own page, and the sign-in's second step)."""

from django.urls import path

from bellwether.integrations.sso import views_mfa

app_name = "mfa"

urlpatterns = [
    path("", views_mfa.security, name="security"),
    path("two-factor/enable/", views_mfa.enable, name="enable"),
    path("two-factor/disable/", views_mfa.disable, name="disable"),
    path("two-factor/verify/", views_mfa.verify, name="verify"),
    path("two-factor/verify/key/", views_mfa.verify_key, name="verify_key"),
    path("keys/add/", views_mfa.add_key, name="add_key"),
    path("keys/<int:pk>/remove/", views_mfa.remove_key, name="remove_key"),
]
