"""The handout as a PDF: its page (templates/interop/handout.html) rendered by
WeasyPrint, as the superbill is (visits.superbill), in the handout's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .content import Handout

TEMPLATE = "interop/handout.html"


def handout_html(handout: Handout) -> str:
    with translation.override(handout.language):
        return render_to_string(TEMPLATE, {"handout": handout})


def handout_pdf(handout: Handout) -> bytes:
    """The handout's page as a PDF (WeasyPrint, on the system's Pango)."""
    # Imported here: WeasyPrint loads Pango through ctypes, which every other page and
    # worker would otherwise pay for at start-up.
    from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # noqa: PLC0415

    # The pictures are embedded as data: URIs; nothing in the page (an exercise's name a
    # clinic typed included) may make the server read a file or fetch a URL.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf: bytes = HTML(string=handout_html(handout), url_fetcher=fetcher).write_pdf()
    return pdf
