"""``/sso/``: signing in through an organisation's identity provider. The protocol
endpoints (OIDC callback, SAML ACS and metadata) are django-allauth's own views, under
their own (global) URL names, which allauth reverses."""

from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.urls import include, path

from bellwether.integrations.sso import views

app_name = "sso"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("org/<slug:slug>/", views.organisation, name="organisation"),
    path("org/<slug:slug>/go/", views.go, name="go"),
]

# Outside the "sso" namespace: allauth reverses these by bare name. The same paths and
# names as allauth's own urls.py, each view guarded (views.guarded).
protocol_urlpatterns = [
    path(
        "sso/oidc/<str:provider_id>/login/callback/",
        views.guarded(oidc_views.callback),
        name="openid_connect_callback",
    ),
    path(
        "sso/saml/<str:organization_slug>/",
        include(
            [
                path("acs/", views.guarded(saml_views.acs), name="saml_acs"),
                path("acs/finish/", views.guarded(saml_views.finish_acs), name="saml_finish_acs"),
                path("sls/", views.guarded(saml_views.sls), name="saml_sls"),
                path("metadata/", views.guarded(saml_views.metadata), name="saml_metadata"),
            ]
        ),
    ),
]
