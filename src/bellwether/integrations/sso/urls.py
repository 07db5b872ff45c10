"""``/sso/``: signing in through an organisation's identity provider. The protocol
endpoints (OIDC callback, SAML ACS and metadata) are django-allauth's own views, under
their own (global) URL names, which allauth reverses."""

from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path

from bellwether.integrations.sso import views

app_name = "sso"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("org/<slug:slug>/", views.organisation, name="organisation"),
    path("org/<slug:slug>/go/", views.go, name="go"),
]

# Outside the "sso" namespace: allauth reverses these by bare name.
protocol_urlpatterns = [
    path("sso/", include(oidc_urls.urlpatterns)),
    path("sso/", include(saml_urls.urlpatterns)),
]
