"""The superbill of a signed visit: the itemised bill a patient or a biller files a
claim from, as a printable page and as a PDF of the same page.

Its lines are the billing export's (visits.billing.note_lines), so the superbill and the
month's export never disagree on a code, a modifier or a charge. A draft note has no
superbill: until it is signed the visit's codes may still change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from core.localtime import zone_of
from patients.models import Patient
from practice.models import Clinic

from .billing import BillableLine, note_lines
from .note_models import VisitNote
from .payers import payer_terms_on

TEMPLATE = "visits/superbill.html"


class NoSuperbillError(ValidationError):
    """The note is not signed."""


@dataclass(frozen=True)
class Superbill:
    clinic: Clinic
    note: VisitNote
    patient: Patient
    payer: str
    member_id: str
    date_of_service: datetime.date
    rendering_clinician: str
    rendering_npi: str
    icd10_codes: tuple[str, ...]
    lines: tuple[BillableLine, ...]
    certification_problem: str

    @property
    def total(self) -> Decimal:
        return sum((line.charge or Decimal(0) for line in self.lines), Decimal("0.00"))

    @property
    def total_units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def missing_fees(self) -> bool:
        return any(line.fee is None for line in self.lines)

    @property
    def filename(self) -> str:
        return f"superbill-{self.patient.mrn}-{self.date_of_service.isoformat()}"


def superbill_of(*, note: VisitNote) -> Superbill:
    """The superbill of a signed note; NoSuperbillError for a draft."""
    if not note.is_signed:
        raise NoSuperbillError("This visit note is not signed yet: a draft has no superbill.")
    lines = tuple(note_lines(note=note))
    if lines:
        first = lines[0]
        payer, member_id, codes = first.payer, first.member_id, first.icd10_codes
        problem = first.certification_problem
    else:
        # Nothing billed (no procedure with units): the page still names the visit.
        terms = payer_terms_on(patient=note.patient, day=note.visit_on)
        payer, member_id, codes, problem = terms.name, terms.member_id, (), ""
    return Superbill(
        clinic=note.patient.clinic,
        note=note,
        patient=note.patient,
        payer=payer,
        member_id=member_id,
        date_of_service=note.visit_on,
        rendering_clinician=str(note.therapist),
        rendering_npi=note.therapist.npi,
        icd10_codes=codes,
        lines=lines,
        certification_problem=problem,
    )


def superbill_html(superbill: Superbill) -> str:
    # In the clinic's zone whoever asks (the API runs in UTC): an evening signature in
    # New York is dated that evening, as on the admin's copy.
    with timezone.override(zone_of(superbill.note.patient.clinic.time_zone)):
        return render_to_string(TEMPLATE, {"bill": superbill})


def superbill_pdf(superbill: Superbill) -> bytes:
    """The printable page as a PDF (WeasyPrint, on the system's Pango)."""
    # Imported here: WeasyPrint loads Pango through ctypes, which every other page and
    # worker would otherwise pay for at start-up.
    from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # noqa: PLC0415

    # The page is self-contained: nothing in it (a name a person typed included) may
    # make the server fetch a file or a URL.
    fetcher = URLFetcher(allowed_protocols=())
    pdf: bytes = HTML(string=superbill_html(superbill), url_fetcher=fetcher).write_pdf()
    return pdf
