"""The OpenAPI document is valid and unambiguous (one component per schema class), and
the API never writes Infinity or NaN, which are not JSON."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import re
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.test import Client, RequestFactory
from ninja import Schema
from pydantic import BaseModel

from bellwether.api import api
from bellwether.core.openapi import FiniteJSONRenderer, finite, with_unique_component_names

REF = "#/components/schemas/"
API_MODULES = [
    "bellwether.accounts.api",
    "bellwether.assessments.api",
    "bellwether.assessments.api_reports",
    "bellwether.engagement.api",
    "bellwether.framework.api",
    "bellwether.influence.api",
    "bellwether.initiatives.api",
    "bellwether.people.api",
    "bellwether.surveys.api",
]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def refs_in(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(refs_in(value) for value in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(refs_in(value) for value in node)) if node else set()
    if isinstance(node, str) and node.startswith(REF):
        return {node.removeprefix(REF)}
    return set()


def test_the_document_is_valid_openapi_3_1(document) -> None:
    assert document["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(document).validate()  # raises on any violation


def test_every_reference_resolves_and_every_name_is_a_valid_component_key(document) -> None:
    components = document["components"]["schemas"]
    assert refs_in(document) <= set(components)
    for name in components:
        assert re.fullmatch(r"[A-Za-z0-9._-]+", name), name


def schema_classes() -> dict[str, list[type[BaseModel]]]:
    """Every schema class the apps' API modules define, by class name."""
    by_name: dict[str, list[type[BaseModel]]] = {}
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module_name
            ):
                by_name.setdefault(value.__name__, []).append(value)
    return by_name


def test_classes_sharing_a_name_get_one_component_each_with_their_own_fields(document) -> None:
    components = document["components"]["schemas"]
    shared = {name: classes for name, classes in schema_classes().items() if len(classes) > 1}
    # Classes that share a name (if any remain) each get their app's own component.
    for name, classes in shared.items():
        for cls in classes:
            app = cls.__module__.split(".")[1].title()
            component = components.get(f"{app}{name}")
            if component is None:  # a class no operation uses
                continue
            fields = {field.alias or key for key, field in cls.model_fields.items()}
            assert set(component.get("properties", {})) == fields, f"{app}{name}"
    # Every schema class the document names is one class: no two share a component.
    names = [name for name, classes in schema_classes().items() for _ in classes]
    assert len(names) == len(set(names)) or shared


def test_operations_point_at_their_own_apps_schemas(document) -> None:
    # One error answer for every operation (core/schema.py), named once.
    people = document["paths"]["/api/v1/people/{person_id}"]["get"]["responses"]
    error = people["404"]["content"]["application/json"]["schema"]
    tokens = document["paths"]["/api/v1/tokens"]["get"]["responses"]
    assert tokens["401"]["content"]["application/json"]["schema"] == error
    assert error["$ref"].endswith("ErrorOut")
    persons = document["paths"]["/api/v1/initiatives/{initiative_id}"]["get"]["responses"]["200"]
    assert persons["content"]["application/json"]["schema"]["$ref"].startswith(REF)


def test_the_document_is_the_same_each_time(document) -> None:
    assert api.get_openapi_schema(path_prefix="/api/v1/") == api.get_openapi_schema(
        path_prefix="/api/v1/"
    )


# --- the renaming on small documents ---------------------------------------------------


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def test_one_class_in_both_modes_with_one_shape_is_one_component() -> None:
    document = {
        "paths": {"/a": {"$ref": f"{REF}bellwether__people__api__PersonOut-Output"}},
        "components": {
            "schemas": {
                "bellwether__people__api__PersonOut-Input": obj(id={"type": "integer"}),
                "bellwether__people__api__PersonOut-Output": obj(id={"type": "integer"}),
            }
        },
    }
    renamed = with_unique_component_names(document)
    assert renamed["components"]["schemas"] == {"PersonOut": obj(id={"type": "integer"})}
    assert renamed["paths"]["/a"] == {"$ref": f"{REF}PersonOut"}


def test_a_class_read_differently_in_requests_and_answers_keeps_both_forms() -> None:
    inner_in, inner_out = obj(n={"type": "number"}), obj(n={"type": "string"})
    document = {
        "paths": {},
        "components": {
            "schemas": {
                "bellwether__surveys__api__Cell-Input": inner_in,
                "bellwether__surveys__api__Cell-Output": inner_out,
                # Same shape itself, but its cells differ: it differs too.
                "bellwether__surveys__api__Page-Input": obj(
                    cell={"$ref": f"{REF}bellwether__surveys__api__Cell-Input"}
                ),
                "bellwether__surveys__api__Page-Output": obj(
                    cell={"$ref": f"{REF}bellwether__surveys__api__Cell-Output"}
                ),
            }
        },
    }
    schemas = with_unique_component_names(document)["components"]["schemas"]
    assert schemas == {
        "Cell-Input": inner_in,
        "Cell-Output": inner_out,
        "Page-Input": obj(cell={"$ref": f"{REF}Cell-Input"}),
        "Page-Output": obj(cell={"$ref": f"{REF}Cell-Output"}),
    }


def test_two_apps_classes_of_one_name_are_prefixed_by_app() -> None:
    document = {
        "paths": {
            "/p": {"$ref": f"{REF}bellwether__people__api__PersonRef-Output"},
            "/i": {"$ref": f"{REF}bellwether__influence__api__PersonRef-Output"},
        },
        "components": {
            "schemas": {
                "bellwether__people__api__PersonRef-Output": obj(id={}),
                "bellwether__influence__api__PersonRef-Output": obj(id={}, name={}),
                "bellwether__people__api__OrgUnitRef-Output": obj(code={}),
            }
        },
    }
    renamed = with_unique_component_names(document)
    assert set(renamed["components"]["schemas"]) == {
        "PeoplePersonRef",
        "InfluencePersonRef",
        "OrgUnitRef",
    }
    assert renamed["paths"] == {
        "/p": {"$ref": f"{REF}PeoplePersonRef"},
        "/i": {"$ref": f"{REF}InfluencePersonRef"},
    }


def test_a_prefixed_name_never_takes_another_classes_name() -> None:
    document = {
        "components": {
            "schemas": {
                "bellwether__people__api__Ref-Output": obj(a={}),
                "bellwether__influence__api__Ref-Output": obj(b={}),
                "bellwether__surveys__api__PeopleRef-Output": obj(c={}),
            }
        },
    }
    # people's Ref would become PeopleRef, which surveys' class already is: both
    # fall back to their full paths.
    assert set(with_unique_component_names(document)["components"]["schemas"]) == {
        "bellwether__people__api__Ref",
        "InfluenceRef",
        "bellwether__surveys__api__PeopleRef",
    }


# --- Infinity and NaN ------------------------------------------------------------------


class Figures(Schema):
    change_percent: float | None
    ratio: float


def render(data: Any) -> Any:
    request = RequestFactory().get("/api/v1/x")
    response = api.create_response(request, data, status=200)
    return response.content.decode()


def test_non_finite_numbers_are_answered_as_null() -> None:
    body = render(
        {
            "change_percent": float("inf"),
            "ratios": [float("nan"), 1.5, float("-inf")],
            "nested": {"deep": (float("inf"), 2)},
        }
    )
    assert "Infinity" not in body
    assert "NaN" not in body
    assert json.loads(body) == {
        "change_percent": None,
        "ratios": [None, 1.5, None],
        "nested": {"deep": [None, 2]},
    }


def test_non_finite_numbers_inside_a_model_the_encoder_converts_are_null() -> None:
    body = render({"figures": Figures(change_percent=math.inf, ratio=math.nan)})
    assert json.loads(body) == {"figures": {"change_percent": None, "ratio": None}}


def test_ordinary_answers_are_encoded_as_before() -> None:
    data = {
        "when": dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC),
        "amount": Decimal("1.50"),
        "ratio": 0.25,
        "big": 1e308,
    }
    assert json.loads(render(data)) == {
        "when": "2026-03-01T09:00:00Z",
        "amount": "1.50",
        "ratio": 0.25,
        "big": 1e308,
    }


def test_the_api_uses_the_finite_renderer() -> None:
    assert isinstance(api.renderer, FiniteJSONRenderer)
    assert finite([1.0, float("nan"), {"a": float("inf")}]) == [1.0, None, {"a": None}]
