"""API output schemas read off the frozen dataclasses reports return.

A report's figure (``@dataclass(frozen=True)``) already names and types every field the
API serves; writing them again as a ninja ``Schema`` would be a second copy that must be
kept in step by hand. ``output_schema`` builds the schema from the dataclass: the same
fields, in the same order, each required, under the schema's own name (the name the
OpenAPI document shows). The endpoint then returns the figure itself.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from ninja import Schema
from pydantic import create_model


def output_schema(figure: type[Any], *, name: str, module: str) -> type[Schema]:
    """A ``Schema`` named ``name`` with the fields of the dataclass ``figure``, belonging
    to ``module`` (the API module's ``__name__``: the OpenAPI document lists schemas by
    the module that declares them)."""
    if not dataclasses.is_dataclass(figure):
        raise TypeError(f"{figure!r} is not a dataclass")
    hints = typing.get_type_hints(figure)
    fields: dict[str, Any] = {
        field.name: (hints[field.name], ...) for field in dataclasses.fields(figure)
    }
    return create_model(name, __base__=Schema, __module__=module, **fields)
