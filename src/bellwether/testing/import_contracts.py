"""A contract for import-linter: apps talk to each other only through their public surface.

``lint-imports`` (``make lint``) loads it from ``pyproject.toml``. For every module of an
app (tests and migrations aside), each import of *another* app must land in that app's
public surface — its ``selectors``, ``services``, ``access``, ``models`` and the few other
modules listed in ``public`` — never in its views, API, pure internals or helpers.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class PublicSurfaceContract(Contract):
    type_name = "public_surface"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    ignore_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def _app_of(self, module: str, apps: list[str]) -> str | None:
        for app in apps:
            if module == app or module.startswith(app + "."):
                return app
        return None

    def _ignored(self, module: str) -> bool:
        parts = module.split(".")
        return any(part in (self.ignore_importers or []) for part in parts)  # type: ignore[operator]

    def _public(self, app: str, module: str) -> bool:
        if module == app:
            return True
        first = module[len(app) + 1 :].split(".")[0]
        return first in self.public  # type: ignore[operator]

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        apps: list[str] = list(self.apps)  # type: ignore[call-overload]
        broken: list[dict[str, Any]] = []
        for importer in sorted(graph.modules):
            source_app = self._app_of(importer, apps)
            if source_app is None or self._ignored(importer):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target_app = self._app_of(imported, apps)
                if target_app is None or target_app == source_app:
                    continue
                if self._public(target_app, imported):
                    continue
                lines = [
                    detail["line_number"]
                    for detail in graph.get_import_details(importer=importer, imported=imported)
                ]
                broken.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            lines = ", ".join(f"l.{line}" for line in item["lines"])
            output.print_error(f"{item['importer']} -> {item['imported']} ({lines})", bold=False)
        output.new_line()
        output.print(
            "Import another app through its selectors, services, access or models; "
            "if the name you need lives elsewhere, expose it there."
        )
