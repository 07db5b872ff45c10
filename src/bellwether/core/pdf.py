"""The one way to render a PDF: a template, rendered to HTML, printed by WeasyPrint.

``render_pdf`` gives the bytes; a view answers with them through ``core.exports.download``
(content type, attachment file name, audit of the download), like every other file. Relative URLs in the template (images, stylesheets)
resolve against the site's root, ``request.build_absolute_uri("/")``; the PDF
templates draw their charts as inline SVG and need no static files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from bellwether.core import exports


def html_to_pdf(html: str, *, base_url: str = "/") -> bytes:
    """``html`` printed to PDF; relative URLs resolve against ``base_url``."""
    from weasyprint import HTML  # heavy; loaded only when a PDF is made

    document = HTML(string=html, base_url=base_url).write_pdf()
    assert document is not None
    return bytes(document)


def pdf_download(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    filename: str,
    audit: exports.Audit,
) -> HttpResponse:
    """A page's PDF (``render_pdf``) as an audited download."""
    content = render_pdf(template, context, request=request)
    return exports.download(request, content, fmt="pdf", filename=filename, audit=audit)


def render_pdf(
    template_name: str, context: Mapping[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """The template rendered with ``context`` (and the request's context processors
    when there is one) as a PDF."""
    html = render_to_string(template_name, dict(context), request=request)
    base_url = request.build_absolute_uri("/") if request is not None else "/"
    return html_to_pdf(html, base_url=base_url)
