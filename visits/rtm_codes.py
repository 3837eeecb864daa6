"""What remote therapeutic monitoring (musculoskeletal) bills, from what was recorded.

The rules, as the CY 2026 Medicare Physician Fee Schedule final rule and CPT 2026 set
them (Federal Register, 2025-11; CPT codes 98975-98981, 98985):

- 98975: set-up and patient education, once per episode of monitoring.
- Device supply, per 30-day period, by the days with data in it: 16 or more bill 98977;
  2 to 15 bill 98985 (new for 2026), where the payer accepts it; fewer bill nothing.
  98977 and 98985 exclude each other in one period.
- Treatment management, per calendar month, by clinicians' time, and only with at least
  one real-time interactive communication with the patient in that month: 10 to 19
  minutes bill 98979 (new for 2026), where the payer accepts it; 20 minutes bill 98980,
  and each further full 20 minutes 98981. No interactive communication, nothing.

Counting the days and the minutes (in the patient's own days) is the caller's; this
module only turns the counts into codes.
"""

from __future__ import annotations

from dataclasses import dataclass

SET_UP = "98975"
SUPPLY_16_DAYS = "98977"
SUPPLY_2_TO_15_DAYS = "98985"
MANAGEMENT_10_MINUTES = "98979"
MANAGEMENT_FIRST_20 = "98980"
MANAGEMENT_EACH_FURTHER_20 = "98981"

FULL_SUPPLY_DAYS = 16
SHORT_SUPPLY_DAYS = 2
SHORT_MANAGEMENT_MINUTES = 10
MANAGEMENT_MINUTES = 20


@dataclass(frozen=True)
class Billed:
    code: str
    units: int
    reason: str


def supply_code(*, days_with_data: int, accepts_short_codes: bool) -> Billed | None:
    """The device-supply code of one 30-day period, or None when it bills nothing."""
    if days_with_data >= FULL_SUPPLY_DAYS:
        return Billed(SUPPLY_16_DAYS, 1, f"{days_with_data} days with data (16 or more)")
    if days_with_data >= SHORT_SUPPLY_DAYS and accepts_short_codes:
        return Billed(SUPPLY_2_TO_15_DAYS, 1, f"{days_with_data} days with data (2 to 15)")
    return None


def management_codes(*, minutes: int, interactive: bool, accepts_short_codes: bool) -> list[Billed]:
    """The treatment-management codes of one calendar month."""
    if not interactive:
        return []  # CPT requires a real-time interactive communication in the month
    if minutes >= MANAGEMENT_MINUTES:
        further = (minutes - MANAGEMENT_MINUTES) // MANAGEMENT_MINUTES
        billed = [Billed(MANAGEMENT_FIRST_20, 1, f"{minutes} minutes: the first 20")]
        if further:
            billed.append(
                Billed(MANAGEMENT_EACH_FURTHER_20, further, f"{further} further full 20 minutes")
            )
        return billed
    if minutes >= SHORT_MANAGEMENT_MINUTES and accepts_short_codes:
        return [Billed(MANAGEMENT_10_MINUTES, 1, f"{minutes} minutes (10 to 19)")]
    return []
