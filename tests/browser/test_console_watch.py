"""The browser fixture's console watch: a document answered 4xx (a refused form is
re-shown with 400 by design) is not a page error, but a script, style or image that
fails to load still is, and so is an uncaught exception. Without this, either every
refused-form journey fails or a broken asset passes unseen."""

from __future__ import annotations

import pytest

from bellwether.testing.browser import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_document_answered_4xx_is_not_a_page_error(page_at, live_server):
    page = page_at(DESKTOP)
    response = page.goto(f"{live_server.url}/no-such-page-for-the-console-watch/")
    assert response is not None
    assert response.status == 404
    page.goto(f"{live_server.url}/")  # a later navigation: the earlier line stays dropped
    assert page.js_errors == []


def test_a_missing_image_and_an_uncaught_exception_still_count(page_at, live_server):
    page = page_at(DESKTOP)
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => new Promise(done => {
            const img = document.createElement('img');
            img.onerror = () => done();
            img.src = '/static/no-such-image-for-the-console-watch.png';
            document.body.append(img);
        })"""
    )
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('boom from the page'); }); }")
    assert any("Failed to load resource" in error for error in page.js_errors)
    assert any("boom from the page" in error for error in page.js_errors)
