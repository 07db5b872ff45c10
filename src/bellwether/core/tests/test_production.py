"""A production install works: collectstatic succeeds with the manifest storage, pages
render with DEBUG off from the collected files, and `check --deploy` is clean, and
notices when static files were not collected (every page would answer 500)."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

from bellwether.core.checks import check_static_files_collected
from bellwether.testing.factories import TEST_PASSWORD

PACKAGE_STATIC = Path(__file__).resolve().parents[2] / "static"
TEMPLATE_DIRS = Path(__file__).resolve().parents[2]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_env(var_dir: Path, static_root: Path) -> dict[str, str]:
    """What README "Running in production" asks an operator to set, and nothing of the
    test run's own environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BELLWETHER_", "DATABASE_"))
        and key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "STATIC_ROOT", "MEDIA_ROOT", "SECRET_KEY"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bellwether.settings",
            "BELLWETHER_ENV": "production",
            "BELLWETHER_VAR_DIR": str(var_dir),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "bellwether.example.com",
            "CSRF_TRUSTED_ORIGINS": "https://bellwether.example.com",
            "BELLWETHER_BASE_URL": "https://bellwether.example.com",
            "STATIC_ROOT": str(static_root),
            "DATABASE_URL": f"sqlite:///{var_dir / 'bellwether.sqlite3'}",
        }
    )
    return env


def bellwether(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bellwether", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """STATIC_ROOT after `bellwether collectstatic` in production mode."""
    var_dir = tmp_path_factory.mktemp("var")
    static_root = tmp_path_factory.mktemp("static")
    result = bellwether("collectstatic", "--noinput", env=production_env(var_dir, static_root))
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root


@pytest.fixture
def production_static(settings, collected: Path) -> Path:
    """This test process serving the collected files as production does: DEBUG off,
    the manifest storage, WhiteNoise reading STATIC_ROOT (not the app folders)."""
    settings.DEBUG = False
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return collected


def test_collectstatic_writes_a_manifest_with_every_static_file(collected: Path) -> None:
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    found = {
        path for finder in finders.get_finders() for path, _ in finder.list(["CVS", ".*", "*~"])
    }
    assert found <= set(manifest)
    hashed = manifest["vendor/chartjs/chart.umd.min.js"]
    assert re.fullmatch(r"vendor/chartjs/chart\.umd\.min\.[0-9a-f]{12}\.js", hashed)
    assert (collected / hashed).exists()
    assert (collected / (hashed + ".gz")).exists()


def test_vendored_files_keep_their_licences_and_point_at_no_missing_source_map() -> None:
    """A `sourceMappingURL` to a file we do not ship is what broke collectstatic."""
    for path in PACKAGE_STATIC.rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for reference in re.findall(r"sourceMappingURL=(\S+)", path.read_text(errors="replace")):
            assert (path.parent / reference.split("?")[0]).exists(), f"{path}: {reference}"
    chart = (PACKAGE_STATIC / "vendor/chartjs/chart.umd.min.js").read_text()
    assert chart.startswith("/*!\n * Chart.js v4.6.1")
    assert "Released under the MIT License" in chart[:300]
    for licence in ("chartjs/LICENSE.md", "cytoscape/LICENSE", "htmx/LICENSE"):
        assert (PACKAGE_STATIC / "vendor" / licence).stat().st_size > 0


def test_every_static_file_a_template_names_is_in_the_manifest(production_static: Path) -> None:
    names = {
        name
        for template in TEMPLATE_DIRS.rglob("templates/**/*.html")
        for name in re.findall(r"""\{%\s*static\s+['"]([^'"]+)['"]""", template.read_text())
    }
    assert "vendor/chartjs/chart.umd.min.js" in names
    for name in sorted(names):
        assert re.search(r"\.[0-9a-f]{12}\.", staticfiles_storage.url(name)), name


def test_the_sign_in_page_renders_with_debug_off_and_hashed_static_urls(
    production_static: Path,
) -> None:
    page = Client().get("/accounts/sign-in/")
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'href="/static/bellwether/app\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js"', html)


def test_a_signed_in_user_can_sign_in_and_see_pages_with_debug_off(
    production_static: Path, members
) -> None:
    client = Client()
    signed_in = client.post(
        "/accounts/sign-in/", {"email": "admin@acme.test", "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    network = client.get("/influence/")
    assert network.status_code == 200
    assert re.search(
        r'src="/static/vendor/cytoscape/cytoscape\.min\.[0-9a-f]{12}\.js"', network.content.decode()
    )


def test_whitenoise_serves_the_collected_files_for_a_year(production_static: Path) -> None:
    url = staticfiles_storage.url("vendor/chartjs/chart.umd.min.js")
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert b"Chart.js v4.6.1" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_deploy_check_passes_once_static_files_are_collected(production_static: Path) -> None:
    assert check_static_files_collected() == []


def test_the_deploy_check_fails_when_static_files_were_not_collected(
    production_static: Path, settings, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path
    [error] = check_static_files_collected()
    assert error.id == "bellwether.E001"
    assert "have not been collected" in error.msg
    assert "bellwether collectstatic" in str(error.hint)


def test_the_deploy_check_names_files_added_since_collectstatic(
    production_static: Path, settings, tmp_path: Path
) -> None:
    extra = tmp_path / "extra"
    (extra / "late").mkdir(parents=True)
    (extra / "late" / "added.css").write_text("body{}")
    # (Django's test signals clear the finders' cache when this setting changes.)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(extra)]
    [error] = check_static_files_collected()
    assert error.id == "bellwether.E002"
    assert "late/added.css" in error.msg


def test_the_deploy_check_is_silent_without_the_manifest_storage(tmp_path, settings) -> None:
    settings.STATIC_ROOT = tmp_path  # development storage: nothing to collect
    assert check_static_files_collected() == []


def test_check_deploy_gives_no_warnings_with_the_production_environment(
    collected: Path, tmp_path: Path
) -> None:
    result = bellwether(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path, collected)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_fails_before_collectstatic(tmp_path: Path) -> None:
    empty = tmp_path / "static"
    result = bellwether("check", "--deploy", env=production_env(tmp_path, empty))
    assert result.returncode == 1
    assert "bellwether.E001" in result.stderr
    assert "Static files have not been collected" in result.stderr
