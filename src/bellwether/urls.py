from django.urls import include, path

from bellwether.accounts import urls_home
from bellwether.api import api
from bellwether.core import urls as core_urls
from bellwether.insights import views_home as insights_home
from bellwether.integrations.sso import urls as sso_urls

urlpatterns = [
    # First: the API takes the most requests (every pulse answer), and Django tries the
    # patterns in order; page URLs pay one failed prefix test for it.
    path("api/v1/", api.urls),
    # The site's own pages keep the "core" namespace: each role's home page (insights,
    # which reads every app), the audit log and organisation switch (accounts), the
    # health check and favicon (core).
    path(
        "",
        include(
            (
                [
                    path("", insights_home.home, name="home"),
                    *urls_home.urlpatterns,
                    *core_urls.urlpatterns,
                ],
                "core",
            )
        ),
    ),
    path("accounts/", include("bellwether.accounts.urls")),
    path("people/", include("bellwether.people.urls")),
    path("framework/", include("bellwether.framework.urls")),
    path("surveys/", include("bellwether.surveys.urls")),
    path("readiness/", include("bellwether.assessments.urls")),
    path("influence/", include("bellwether.influence.urls")),
    path("engagement/", include("bellwether.engagement.urls")),
    path("communications/", include("bellwether.communications.urls")),
    path("development/", include("bellwether.development.urls")),
    path("initiatives/", include("bellwether.initiatives.urls")),
    path("insights/", include("bellwether.insights.urls")),
    path("peers/", include("bellwether.peers.urls")),
    path("coaching/", include("bellwether.coaching.urls")),
    path("reviews/", include("bellwether.reviews.urls")),
    path("succession/", include("bellwether.succession.urls")),
    path("behaviours/", include("bellwether.behaviours.urls")),
    path("scim/v2/", include("bellwether.integrations.scim.urls")),
    path("integrations/scim/", include("bellwether.integrations.scim.urls_pages")),
    path("integrations/chat/", include("bellwether.integrations.chat.urls")),
    path("sso/", include("bellwether.integrations.sso.urls")),
    *sso_urls.protocol_urlpatterns,
    path("integrations/sso/", include("bellwether.integrations.sso.urls_pages")),
    path("security/", include("bellwether.integrations.sso.urls_mfa")),
]

handler400 = "bellwether.core.views.bad_request"
handler403 = "bellwether.core.views.permission_denied"
handler404 = "bellwether.core.views.page_not_found"
handler500 = "bellwether.core.views.server_error"
