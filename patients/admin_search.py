"""Patient search as the front desk types it, for every admin list that finds patients.

Names as the admin prints them ("Whitaker, Dana (MRN-1)") or as said ("Dana
Whitaker"), a phone number in any common format, or a date of birth (YYYY-MM-DD). The
name words go through the admin's own search (each word in some search field); a phone
or a date also matches its column, in the same single query.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib import admin

    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object

# Fewer digits than a subscriber number are a fragment of an MRN or a date, not a phone.
MIN_PHONE_DIGITS = 7

_NAME_PUNCTUATION = re.compile(r"[,()]")
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-]+$")
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def name_words(term: str) -> str:
    """The term as the admin's word search reads it: "Whitaker, Dana (MRN-1)" becomes
    "Whitaker Dana MRN-1", each word then looked for in the search fields."""
    return " ".join(_NAME_PUNCTUATION.sub(" ", term).split())


def _phone_match(term: str, prefix: str) -> Q | None:
    if not _PHONE_TEXT.match(term):
        return None
    digits = re.sub(r"\D", "", term)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    # Stored numbers are E.164 ("+12025550101"): the digits typed, with or without the
    # country code, are its end whatever the punctuation.
    return Q(**{f"{prefix}phone__endswith": digits})


def _birth_date_match(term: str, prefix: str) -> Q | None:
    if not _DATE_TEXT.match(term):
        return None
    try:
        born = datetime.date.fromisoformat(term)
    except ValueError:  # 2026-02-30: no one was born then
        return None
    return Q(**{f"{prefix}date_of_birth": born})


def contact_match(term: str, *, prefix: str = "") -> Q | None:
    """What the term matches besides names: a phone number or a date of birth, on the
    patient reached by `prefix` ("" on the patient list, "patient__" from a visit)."""
    term = term.strip()
    return _birth_date_match(term, prefix) or _phone_match(term, prefix)


class PatientSearchMixin(_ModelAdminBase):
    """A changelist search that finds patients by name (in either order), phone or date
    of birth; `patient_search_prefix` is the lookup from a row to its patient."""

    patient_search_prefix = ""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        found, may_have_duplicates = super().get_search_results(
            request, queryset, name_words(search_term)
        )
        extra = contact_match(search_term, prefix=self.patient_search_prefix)
        if extra is not None:
            # Still one query: an OR of the word search and the column match, on the
            # queryset as scoped to the clinic.
            found = found | queryset.filter(extra)
        return found, may_have_duplicates
