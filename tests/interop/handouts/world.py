"""A patient with a McKenzie extension program, and the handout's PDF read back as text."""

from __future__ import annotations

import io

from pypdf import PdfReader

from practice.models import Clinic

CLINIC_PHONE = "+1 202 555 0199"


def with_phone(clinic: Clinic) -> Clinic:
    clinic.phone = CLINIC_PHONE
    clinic.save(update_fields=["phone"])
    return clinic


def pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks and runs of spaces made single spaces, so a
    sentence reads the same wherever the page wrapped it."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def pdf_title(content: bytes) -> str:
    metadata = PdfReader(io.BytesIO(content)).metadata
    return str(metadata.title) if metadata is not None else ""


def compact(text: str) -> str:
    """`text` without any whitespace: a step wrapped at its hyphen ("push- up") still
    matches."""
    return "".join(text.split())
