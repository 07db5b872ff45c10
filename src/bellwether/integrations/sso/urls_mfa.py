"""``/security/``: two-factor sign-in (a member's own page, and the sign-in's second step)."""

from django.urls import path

from bellwether.integrations.sso import views_mfa

app_name = "mfa"

urlpatterns = [
    path("", views_mfa.security, name="security"),
    path("two-factor/enable/", views_mfa.enable, name="enable"),
    path("two-factor/disable/", views_mfa.disable, name="disable"),
    path("two-factor/verify/", views_mfa.verify, name="verify"),
]
