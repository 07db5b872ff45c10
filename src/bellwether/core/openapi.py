"""A correct OpenAPI document and valid JSON from the API.

Component names. Ninja builds the document one operation at a time and files every
schema under its class name, so two apps' ``PersonRef`` (or ``ErrorOut``) became one
component, the last one written, and operations of the other app pointed at the wrong
shape. Here every schema is first generated under its full name (module, class and
mode), then given the shortest name that is unique in the whole document: the class
name; the app and the class name (``PeoplePersonRef``, ``InfluencePersonRef``) where
two apps share one; ``-Input`` / ``-Output`` only where a schema reads differently in
requests and answers.

Numbers. JSON has no ``Infinity`` or ``NaN``; Python's encoder writes them anyway and
clients choke. The renderer turns a non-finite float into ``null``.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import ninja.openapi.schema as ninja_openapi
from django.http import HttpRequest
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, DefsRef

REF_PREFIX = "#/components/schemas/"
_QUALIFIED = re.compile(r"(?P<path>.+?)(?:-(?P<mode>Input|Output))?(?:__(?P<occurrence>\d+))?")


class QualifiedNamesJsonSchema(NinjaGenerateJsonSchema):
    """Ninja's generator, naming each definition by module, class and mode (pydantic
    tries the bare class name first, which is unique only within one model)."""

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        # pydantic returns "<module.Class>-<Mode>__<n>"; n tells apart two classes of
        # the same module and name (defined in a function), which never happens here.
        defs_ref = super().get_defs_ref(core_mode_ref)
        qualified = DefsRef(re.sub(r"__\d+$", "", defs_ref))
        self._prioritized_defsref_choices[defs_ref] = [qualified, defs_ref]
        return defs_ref


_generation = threading.Lock()


def generate_with_qualified_names(generate: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ninja's document generation with ``QualifiedNamesJsonSchema`` (ninja reads
    its generator from a module global; swapped only while generating, under a lock),
    then give the components their short unique names."""
    with _generation:
        previous = ninja_openapi.NinjaGenerateJsonSchema
        ninja_openapi.NinjaGenerateJsonSchema = QualifiedNamesJsonSchema  # type: ignore[misc]
        try:
            document = generate()
        finally:
            ninja_openapi.NinjaGenerateJsonSchema = previous  # type: ignore[misc]
    return with_unique_component_names(document)


def _replace_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _replace_refs(value, renamed) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_refs(value, renamed) for value in node]
    if isinstance(node, str) and node.startswith(REF_PREFIX):
        return renamed.get(node, node)
    return node


def _parse(key: str) -> tuple[tuple[str, str], str]:
    """``bellwether.people.api.PersonRef-Output`` → ((path, occurrence), mode)."""
    match = _QUALIFIED.fullmatch(key)
    assert match is not None  # the pattern matches any string
    return (match["path"], match["occurrence"] or ""), match["mode"] or ""


# pydantic writes a module path's dots as "__": bellwether__people__api__PersonRef.
_SEP = "__"


def _short(path: str) -> str:
    return path.rsplit(_SEP, 1)[-1]


def _app(path: str) -> str:
    parts = path.split(_SEP)
    app = parts[1] if parts[0] == "bellwether" and len(parts) > 2 else parts[0]
    return app.title().replace("_", "")


def _class_names(classes: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The shortest unique name for each class: its own, else prefixed by its app,
    else its full path."""
    by_short: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cls in classes:
        by_short[_short(cls[0])].append(cls)
    names: dict[tuple[str, str], str] = {}
    for short, group in by_short.items():
        if len(group) == 1:
            names[group[0]] = short
            continue
        prefixed = {cls: _app(cls[0]) + short for cls in group}
        if len(set(prefixed.values())) == len(group):
            names.update(prefixed)
        else:
            names.update({cls: _full(cls) for cls in group})
    # A prefixed name may be another class's own name (PeoplePersonRef): both take
    # their full paths then.
    taken: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cls, name in names.items():
        taken[name].append(cls)
    for group in taken.values():
        if len(group) > 1:
            names.update({cls: _full(cls) for cls in group})
    return names


def _full(cls: tuple[str, str]) -> str:
    return "_".join(filter(None, cls))


def _mergeable(schemas: dict[str, Any]) -> set[tuple[str, str]]:
    """Classes whose request and answer schemas are the same (once every reference is
    read without its mode), and whose referenced classes are too."""
    modes: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for key, body in schemas.items():
        cls, mode = _parse(key)
        modes[cls][mode] = body
    modeless = {
        REF_PREFIX + key: REF_PREFIX + "::".join(_parse(key)[0]) for key in schemas
    }  # a reference to a class, whatever its mode

    def refs(node: Any) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        if isinstance(node, dict):
            for value in node.values():
                found |= refs(value)
        elif isinstance(node, list):
            for value in node:
                found |= refs(value)
        elif isinstance(node, str) and node.startswith(REF_PREFIX):
            found.add(_parse(node.removeprefix(REF_PREFIX))[0])
        return found

    same: set[tuple[str, str]] = set()
    depends: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for cls, bodies in modes.items():
        if len(bodies) == 1:
            same.add(cls)
            depends[cls] = set()
            continue
        normalised = [_replace_refs(body, modeless) for body in bodies.values()]
        if all(body == normalised[0] for body in normalised[1:]):
            same.add(cls)
            depends[cls] = set().union(*(refs(body) for body in bodies.values()))
    # A class whose request and answer forms refer to classes that differ differs too.
    changed = True
    while changed:
        changed = False
        for cls in list(same):
            if not depends[cls] <= same:
                same.discard(cls)
                changed = True
    return same


def with_unique_component_names(document: dict[str, Any]) -> dict[str, Any]:
    """Rename ``document``'s components (in place) to short, unique names; rewrite every
    reference to them."""
    components = document.get("components", {})
    schemas: dict[str, Any] = components.get("schemas", {})
    if not schemas:
        return document
    mergeable = _mergeable(schemas)
    classes = sorted({_parse(key)[0] for key in schemas})
    base = _class_names(classes)
    renamed: dict[str, str] = {}
    new_schemas: dict[str, Any] = {}
    for key in sorted(schemas):
        cls, mode = _parse(key)
        name = base[cls] if cls in mergeable or not mode else f"{base[cls]}-{mode}"
        renamed[REF_PREFIX + key] = REF_PREFIX + name
        new_schemas[name] = schemas[key]  # merged modes are equal: either body will do
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for key, ref in renamed.items():
        owners[ref].add(_parse(key.removeprefix(REF_PREFIX))[0])
    clashes = sorted(ref for ref, classes in owners.items() if len(classes) > 1)
    if clashes:  # _class_names makes this impossible; never publish a wrong document
        raise AssertionError(f"OpenAPI component names are not unique: {clashes}")
    for section, value in list(document.items()):
        if section != "components":
            document[section] = _replace_refs(value, renamed)
    components["schemas"] = _replace_refs(new_schemas, renamed)
    return document


# --- JSON without Infinity / NaN -----------------------------------------------------------


def finite(value: Any) -> Any:
    """``value`` with every non-finite float (inf, -inf, nan) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


class FiniteJSONRenderer(JSONRenderer):
    """Ninja's JSON renderer, refusing to write ``Infinity`` or ``NaN`` (not JSON).

    The answer is encoded as usual first; only if that meets a non-finite number is it
    walked and re-encoded with ``null`` in its place, so ordinary answers cost nothing."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        try:
            return json.dumps(data, cls=self.encoder_class, allow_nan=False)
        except ValueError:
            return json.dumps(finite(data), cls=_FiniteEncoder, allow_nan=False)


class _FiniteEncoder(NinjaJSONEncoder):
    """Also for values the encoder converts itself (a pydantic model, …)."""

    def default(self, o: Any) -> Any:
        return finite(super().default(o))
