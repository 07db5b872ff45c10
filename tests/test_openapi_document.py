"""The OpenAPI document is a contract clients (and the fuzz test) rely on: every answer an
operation can give is in it, every request body in it is strict and bounded, and each
schema name means one model."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

import bellwether
from bellwether.api import api
from bellwether.core.bounds import MAX_ID


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="/api/v1/")


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _walk(document: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> Iterator[dict]:
    """Every sub-schema of a request body, following references once."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        seen.add(name)
        schema = _resolve(document, schema)
    yield schema
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key, []):
            yield from _walk(document, sub, seen)
    for sub in schema.get("properties", {}).values():
        yield from _walk(document, sub, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _walk(document, schema[key], seen)


def _bodies(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for label, operation in _operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        for media in content.values():
            yield label, media["schema"]


def test_every_operation_documents_the_errors_it_can_answer(document):
    for label, operation in _operations(document):
        expected = {"400", "404", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        answers = {str(code): answer for code, answer in operation["responses"].items()}
        assert expected <= set(answers), label
        for code in expected:
            schema = answers[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (label, code)


def test_every_request_body_refuses_unknown_keys(document):
    bodies = list(_bodies(document))
    assert len(bodies) > 40
    for label, schema in bodies:
        for sub in _walk(document, schema, set()):
            if "properties" in sub:
                assert sub.get("additionalProperties") is False, (label, sub.get("title"))


def test_every_integer_in_a_request_body_is_bounded(document):
    for label, schema in _bodies(document):
        for sub in _walk(document, schema, set()):
            if sub.get("type") == "integer":
                assert "minimum" in sub or "exclusiveMinimum" in sub, (label, sub)
                assert sub.get("maximum", sub.get("exclusiveMaximum", MAX_ID + 1)) <= MAX_ID, (
                    label,
                    sub,
                )


def test_every_integer_in_a_path_or_query_is_bounded(document):
    for label, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            for sub in [schema, *schema.get("anyOf", [])]:
                if sub.get("type") == "integer":
                    assert "minimum" in sub, (label, parameter["name"])
                    assert "maximum" in sub, (label, parameter["name"])


def _api_models() -> Iterator[type[BaseModel]]:
    for module_info in pkgutil.walk_packages(bellwether.__path__, "bellwether."):
        leaf = module_info.name.rsplit(".", 1)[-1]
        if not (leaf == "api" or leaf.startswith("api_")) or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                yield value


def test_each_schema_name_in_the_document_means_one_model():
    # Two models with one name would share one entry in the document: one of them
    # would be described by the other's schema.
    by_name: dict[str, set[type[BaseModel]]] = {}
    for model in _api_models():
        by_name.setdefault(model.__name__, set()).add(model)
    clashes = {name: models for name, models in by_name.items() if len(models) > 1}
    assert clashes == {}
