"""Who pays for a patient's care, by which rule, and what the clinic charges."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from practice.tenancy import ClinicalRecord, ClinicScopedQuerySet

from .units import Rule


class Payer(models.Model):
    clinic_path = "clinic"

    clinic = models.ForeignKey("practice.Clinic", on_delete=models.PROTECT, related_name="payers")
    name = models.CharField(max_length=200)
    rule = models.CharField(
        "unit rule",
        max_length=3,
        choices=[(Rule.CMS.value, "CMS 8-minute rule"), (Rule.AMA.value, "AMA rule of eights")],
        default=Rule.CMS.value,
    )
    pays_hot_cold_packs = models.BooleanField(
        "pays hot or cold packs (97010)", default=False, help_text="Medicare bundles them."
    )
    accepts_2026_rtm_codes = models.BooleanField(
        "accepts the 2026 RTM codes",
        default=True,
        help_text="98985 (2-15 days with data) and 98979 (10-19 minutes).",
    )
    medicare = models.BooleanField(
        "Medicare Part B",
        default=False,
        help_text="Its claims take the KX modifier above the year's therapy threshold.",
    )
    active = models.BooleanField(default=True)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"],
                name="payer_name_unique_in_clinic",
                violation_error_message="This clinic already has a payer of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Coverage(ClinicalRecord):
    """A patient's insurance from a day on; the payer of a day is the latest coverage
    begun by then. Self-pay is no coverage: the CMS rule, nothing bundled paid."""

    clinic_path = "patient__clinic"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="coverages"
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="coverages")
    member_id = models.CharField("member ID", max_length=40)
    starts_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "coverage"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "starts_on"],
                name="coverage_one_per_patient_day",
                violation_error_message="The patient already has coverage starting that day.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payer} from {self.starts_on.isoformat()}"


class Fee(models.Model):
    """The clinic's charge for one unit of a code: the superbill's amounts, and the
    dollars that count toward Medicare's yearly therapy threshold."""

    clinic_path = "clinic"

    clinic = models.ForeignKey("practice.Clinic", on_delete=models.PROTECT, related_name="fees")
    code = models.CharField("CPT code", max_length=5)
    amount = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    # Medicare counts its own allowed amounts toward the therapy threshold, not the
    # clinic's charges (CMS, Therapy Services: "the threshold ... is based on the
    # allowed amount"); blank counts the charge, which reaches the threshold early.
    medicare_allowed = models.DecimalField(
        "Medicare allowed amount",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Per unit, from the Medicare fee schedule for the clinic's locality: what "
        "counts toward the year's KX threshold. Blank: the fee counts.",
    )

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "code"],
                name="fee_once_per_code",
                violation_error_message="This code already has a fee.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ${self.amount}"
