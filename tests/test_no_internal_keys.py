"""Users never see internal keys: every page of the demo organisation, opened by each of
its accounts (admin, executive sponsor, leader, coach, reviewer) by following the links
from the home page, shows the catalogue's words in its visible text, never a catalogue key
such as ``band.champion``, ``barrier.change_fatigue`` or ``engagement_rule.…`` (keys may
stay in attribute values: form values, ids)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client

from bellwether.accounts.models import User
from bellwether.demo.services import build_demo_organisation
from bellwether.framework.catalogue.labels import LABELS

ACCOUNTS = ("admin", "ceo", "leader", "coach", "reviewer")
#: Not pages to read: downloads, feeds, the API, signing out.
SKIP = re.compile(
    r"sign-out|\.pdf|\.csv|\.xlsx|\.ics|/export|/download|/api/|/feed|/static/|/media/"
    r"|\.json|attachment|/sign-in|network-data|/search/"
)
KEYS = sorted((key for key in LABELS if "." in key), key=len, reverse=True)
KEY = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in KEYS) + r")(?!\w)")


class _Text(HTMLParser):
    """The text a reader sees (no script, style or template) and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _shape(path: str) -> str:
    return re.sub(r"/\d+", "/N", re.sub(r"/[A-Za-z0-9_-]{20,}", "/T", path))


def _keys_seen(client: Client, *, per_shape: int = 1) -> tuple[int, list[str]]:
    """Open the pages reachable from home (each URL shape ``per_shape`` times, no query
    strings): how many were read and each key seen with where."""
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue, read, found = ["/"], 0, []
    while queue:
        path = queue.pop(0)
        if path in seen or shapes[_shape(path)] >= per_shape:
            continue
        seen.add(path)
        shapes[_shape(path)] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        page = _Text()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        found += [f"{path}: {m.group(0)}" for m in KEY.finditer(text)]
        for href in page.links:
            url = urlparse(urljoin(f"http://testserver{path}", href))
            if url.netloc == "testserver" and not url.query and not SKIP.search(url.path):
                queue.append(url.path)
    return read, found


@pytest.mark.django_db
def test_no_page_of_the_demo_shows_a_catalogue_key() -> None:
    organisation = build_demo_organisation(seed=7, size="small")
    assert KEY.search("Target: band.champion") is not None  # the check can fail
    assert KEY.search("Target: Champion") is None
    read = 0
    for account in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(email=f"{account}@{organisation.slug}.example"))
        pages, found = _keys_seen(client)
        read += pages
        assert found == [], f"{account} sees catalogue keys: {found[:20]}"
        assert pages > 5, account
    assert read > 150
