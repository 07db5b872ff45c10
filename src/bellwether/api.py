"""The JSON API at /api/v1/: one NinjaAPI and the routers of each app.

The error format and its handlers live in ``core/api.py``; who may call what, in each
app's ``access.py``. Nothing imports this module except the URL configuration.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from ninja.openapi.schema import OpenAPISchema

from bellwether.accounts.api_auth import TokenAuth
from bellwether.core.api import audit_bulk_read, install_error_handlers
from bellwether.core.openapi import FiniteJSONRenderer, generate_with_qualified_names
from bellwether.core.schema import DocumentedAPI, with_error_answers


class BellwetherAPI(DocumentedAPI):
    """The API whose OpenAPI document names every schema uniquely (core/openapi.py) and
    lists every operation's error answers (core/schema.py)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        # Names first (ninja's own generation), then the shared error answers, which
        # refer to the one ErrorOut component by its short name.
        generate = super(DocumentedAPI, self).get_openapi_schema
        document = generate_with_qualified_names(
            lambda: generate(path_prefix=path_prefix, path_params=path_params)
        )
        return cast(OpenAPISchema, with_error_answers(document))

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        audit_bulk_read(request, data, response.status_code)
        return response


api = BellwetherAPI(
    title="Bellwether API",
    version="1",
    description=(
        "Bellwether's JSON API. Authenticate with a personal API token "
        "(`Authorization: Bearer bw_…`), created under *Settings → API tokens*."
    ),
    urls_namespace="api",
    auth=[TokenAuth()],
    # JSON has no Infinity or NaN: such a number is answered as null.
    renderer=FiniteJSONRenderer(),
)


install_error_handlers(api)


def _register_routers() -> None:
    from bellwether.accounts.api import router as accounts_router
    from bellwether.assessments.api import router as assessments_router
    from bellwether.behaviours.api import router as behaviours_router
    from bellwether.coaching.api import router as coaching_router
    from bellwether.communications.api import router as communications_router
    from bellwether.development.api import router as development_router
    from bellwether.engagement.api import router as engagement_router
    from bellwether.framework.api import router as framework_router
    from bellwether.influence.api import router as influence_router
    from bellwether.initiatives.api import router as initiatives_router
    from bellwether.insights.api import router as insights_router
    from bellwether.integrations.chat.api import router as chat_router
    from bellwether.peers.api import router as peers_router
    from bellwether.people.api import router as people_router
    from bellwether.reviews.api import router as reviews_router
    from bellwether.succession.api import router as succession_router
    from bellwether.surveys.api import router as surveys_router

    # Surveys first: URLs are tried in this order, and every pulse answer is a request.
    api.add_router("/surveys", surveys_router)
    api.add_router("/framework", framework_router)
    api.add_router("/", people_router)
    api.add_router("/tokens", accounts_router)
    api.add_router("/initiatives", initiatives_router)
    api.add_router("/readiness", assessments_router)
    api.add_router("/influence", influence_router)
    api.add_router("/engagement", engagement_router)
    api.add_router("/insights", insights_router)
    api.add_router("/peers", peers_router)
    api.add_router("/communications", communications_router)
    api.add_router("/coaching", coaching_router)
    api.add_router("/chat", chat_router)
    api.add_router("/reviews", reviews_router)
    api.add_router("/succession", succession_router)
    api.add_router("/development", development_router)
    api.add_router("/behaviours", behaviours_router)


_register_routers()
