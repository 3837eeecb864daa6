"""Which payer covers a patient on a day, and so which unit rule a visit bills by."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from patients.models import Patient

from .billing_models import Coverage, Payer
from .units import Rule


@dataclass(frozen=True)
class PayerTerms:
    """What a visit's billing needs to know of its payer; self-pay when `payer` is None."""

    payer: Payer | None
    member_id: str

    @property
    def rule(self) -> Rule:
        return Rule(self.payer.rule) if self.payer else Rule.CMS

    @property
    def pays_packs(self) -> bool:
        return bool(self.payer and self.payer.pays_hot_cold_packs)

    @property
    def accepts_2026_rtm_codes(self) -> bool:
        return bool(self.payer and self.payer.accepts_2026_rtm_codes)

    @property
    def name(self) -> str:
        return self.payer.name if self.payer else "Self-pay"


def terms_from(coverages: Sequence[Coverage], day: datetime.date) -> PayerTerms:
    """The terms of `day` from a patient's coverages, newest first (payer loaded)."""
    coverage = next((c for c in coverages if c.starts_on <= day), None)
    if coverage is None:
        return PayerTerms(payer=None, member_id="")
    return PayerTerms(payer=coverage.payer, member_id=coverage.member_id)


def coverages_of(patient: Patient) -> list[Coverage]:
    """A patient's coverages, newest first, for `terms_from`: one query."""
    return list(
        Coverage.objects.filter(patient=patient)
        .select_related("payer")
        .order_by("-starts_on", "-id")
    )


def coverage_on(*, patient: Patient, day: datetime.date) -> Coverage | None:
    """The latest coverage begun by `day`."""
    return (
        Coverage.objects.filter(patient=patient, starts_on__lte=day)
        .select_related("payer")
        .order_by("-starts_on", "-id")
        .first()
    )


def payer_terms_on(*, patient: Patient, day: datetime.date) -> PayerTerms:
    coverage = coverage_on(patient=patient, day=day)
    if coverage is None:
        return PayerTerms(payer=None, member_id="")
    return PayerTerms(payer=coverage.payer, member_id=coverage.member_id)
