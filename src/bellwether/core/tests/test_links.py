"""The one rule for links people type in: http(s) web addresses only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from bellwether.core.links import LINK_MESSAGE, LinkField, clean_link, validate_link


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("", ""),
        ("   ", ""),
        (" https://intranet.example.com/dpa.pdf ", "https://intranet.example.com/dpa.pdf"),
        ("HTTPS://Example.com/A?b=1#c", "HTTPS://Example.com/A?b=1#c"),
        ("http://10.0.0.7:8080/wiki", "http://10.0.0.7:8080/wiki"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
    ],
)
def test_web_addresses_are_kept_trimmed(value, kept) -> None:
    assert clean_link(value) == kept


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "java\x00script:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:someone@example.com",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "//example.com/x",
        "example.com/x",
        "https:alert(1)",
        "https://",
        "http://[::1",
        "https://exa mple.com",
    ],
)
def test_anything_else_is_refused_with_one_clear_message(value) -> None:
    with pytest.raises(ValueError, match="starts with https://") as refusal:
        clean_link(value)
    assert str(refusal.value) == LINK_MESSAGE
    with pytest.raises(ValidationError):
        validate_link(value)


def test_overlong_links_are_refused_with_the_limit() -> None:
    with pytest.raises(ValueError, match="at most 500 characters"):
        clean_link("https://example.com/" + "a" * 500)


def test_the_form_field_completes_a_bare_address_and_refuses_other_schemes() -> None:
    field = LinkField(required=False)
    assert field.clean("intranet.example.com/dpa") == "https://intranet.example.com/dpa"
    with pytest.raises(ValidationError) as refusal:
        field.clean("javascript:alert(1)")
    assert refusal.value.messages == [LINK_MESSAGE]


def test_the_template_filter_drops_unsafe_links() -> None:
    template = Template("{% load links %}[{{ value|web_link }}]")
    assert template.render(Context({"value": "javascript:alert(1)"})) == "[]"
    assert template.render(Context({"value": None})) == "[]"
    assert template.render(Context({"value": "https://e.example/x"})) == "[https://e.example/x]"
