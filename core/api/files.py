"""Endpoints that answer a file (CSV, PDF, HTML, iCalendar) rather than JSON.

Their views build the bytes themselves; these renderers only let a client ask for the
file's type in `Accept` (DRF refuses with 406 an Accept no renderer offers), and
`FirstRenderer` answers with the view's first renderer whatever Accept says, for
clients (calendar apps, FHIR clients) whose Accept is not to be argued with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file's type; the view answers the file itself."""

    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class HtmlRenderer(FileRenderer):
    media_type = "text/html"
    format = "html"


class FirstRenderer(BaseContentNegotiation):
    """The view's first renderer and parser, whatever the request asks for."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type
