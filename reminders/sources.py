"""`Notification.source`: what a message is about.

The outbox treats it as opaque; only the planner's passes and `cancel_rules.cancel_reason`
read it. Together with `scheduled_for` and `channel` it is the outbox's unique key,
which is what makes planning the same window twice harmless. Formats:

- `prescription:<prescription_id>` -- exercise reminder (kind `exercise`).
- `appointment:<appointment_id>:<lead_hours>h` -- appointment reminder sent
  `lead_hours` before the start (kind `appointment`), e.g. `appointment:12:24h`.
- `nudge:<patient_id>:<YYYY-MM-DD>` -- inactivity nudge to the patient (kind `nudge`);
  the date is the patient's last activity as a local date, so one nudge per streak.
- `rtm:<patient_id>:<YYYY-MM-DD>` -- the nudge to a patient whose remote-monitoring
  period risks too few days with data (kind `nudge`); the date is the period's first
  day, so one nudge per period.
- `inactive:<patient_id>:<YYYY-MM-DD>` -- inactive patient, told to the primary therapist
  (kind `inactivity_alert`); same date, so one alert per streak.
- `questionnaire:<patient_id>:<code>:<YYYY-MM-DD>` -- an outcome questionnaire due
  (kind `questionnaire`); the date is the patient's local date it became due (see
  `outcomes.schedule`), so each due questionnaire is reminded once.
- `hold:<patient_id>:<YYYYMMDDTHHMMSSffffffZ>` -- the emergency guidance to a patient
  put on medical hold at that instant (kind `hold_guidance`): one per hold, and a
  partial unique index on the source keeps it one whatever the channel.
- `alert:<alert_id>:<staff_id>` -- urgent clinical alert to one staff member (kind
  `urgent_alert`). The staff id is part of the key because an alert with no primary
  therapist goes to every clinician, and the unique key (source, scheduled_for,
  channel) would otherwise keep only one of them.
- `escalation:<alert_id>:<round>:<staff_id>` -- the urgent alert still unacknowledged
  after `round` escalation windows, to one staff member (kind `escalation`).
- `routine:<alert_id>:<staff_id>` -- a routine clinical alert to one staff member (kind
  `routine_alert`).
- `digest:<staff_id>:<YYYY-MM-DD>` -- the morning digest of open alerts of that clinic
  day (kind `digest`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

_HOLD_FORMAT = "%Y%m%dT%H%M%S%fZ"


def prescription_source(prescription_id: int) -> str:
    return f"prescription:{prescription_id}"


def appointment_source(appointment_id: int, lead_hours: float) -> str:
    return f"appointment:{appointment_id}:{format_hours(lead_hours)}h"


def nudge_source(patient_id: int, last_activity: datetime.date) -> str:
    return f"nudge:{patient_id}:{last_activity.isoformat()}"


def rtm_nudge_source(patient_id: int, period_starts_on: datetime.date) -> str:
    return f"rtm:{patient_id}:{period_starts_on.isoformat()}"


def inactive_source(patient_id: int, last_activity: datetime.date) -> str:
    return f"inactive:{patient_id}:{last_activity.isoformat()}"


def alert_source(alert_id: int, staff_id: int) -> str:
    return f"alert:{alert_id}:{staff_id}"


def escalation_source(alert_id: int, round_: int, staff_id: int) -> str:
    return f"escalation:{alert_id}:{round_}:{staff_id}"


def routine_source(alert_id: int, staff_id: int) -> str:
    return f"routine:{alert_id}:{staff_id}"


def digest_source(staff_id: int, day: datetime.date) -> str:
    return f"digest:{staff_id}:{day.isoformat()}"


def hold_source(patient_id: int, since: datetime.datetime) -> str:
    return f"hold:{patient_id}:{since.astimezone(datetime.UTC).strftime(_HOLD_FORMAT)}"


def questionnaire_source(patient_id: int, code: str, due_on: datetime.date) -> str:
    return f"questionnaire:{patient_id}:{code}:{due_on.isoformat()}"


def format_hours(hours: float) -> str:
    """24 -> "24", 1.5 -> "1.5": whole hours read as whole numbers in the source."""
    return str(int(hours)) if float(hours).is_integer() else f"{hours:g}"


# Prefixes of messages about a clinical alert, whose `object_id` is the alert's.
ALERT_PREFIXES = frozenset({"alert", "escalation", "routine"})


@dataclass(frozen=True)
class Source:
    prefix: str
    object_id: int
    lead_hours: float | None = None  # appointment reminders
    day: datetime.date | None = None  # nudges, inactivity alerts, questionnaires, digests
    staff_id: int | None = None  # messages to staff about an alert
    code: str | None = None  # questionnaires
    round: int | None = None  # escalations
    since: datetime.datetime | None = None  # hold guidance: when the hold began


def parse_source(source: str) -> Source | None:
    """The parts of a source string; None for a format this module does not know."""
    prefix, _, rest = source.partition(":")
    try:
        return _parse(prefix, rest.split(":"))
    except ValueError:  # an id, a number or a date that does not read as one
        return None


def _parse(prefix: str, parts: list[str]) -> Source | None:
    parsed: Source | None
    match prefix, parts:
        case "prescription", [pk]:
            parsed = Source(prefix, int(pk))
        case "appointment", [pk, hours] if hours.endswith("h"):
            parsed = Source(prefix, int(pk), lead_hours=float(hours[:-1]))
        case (("nudge" | "rtm" | "inactive" | "digest"), [pk, day]):
            parsed = Source(prefix, int(pk), day=datetime.date.fromisoformat(day))
        case "questionnaire", [pk, code, day] if code:
            parsed = Source(prefix, int(pk), day=datetime.date.fromisoformat(day), code=code)
        case "alert", [pk]:
            parsed = Source(prefix, int(pk))
        case (("alert" | "routine"), [pk, staff_id]):
            parsed = Source(prefix, int(pk), staff_id=int(staff_id))
        case "escalation", [pk, round_, staff_id]:
            parsed = Source(prefix, int(pk), round=int(round_), staff_id=int(staff_id))
        case "hold", [pk, since]:
            at = datetime.datetime.strptime(since, _HOLD_FORMAT).replace(tzinfo=datetime.UTC)
            parsed = Source(prefix, int(pk), since=at)
        case _:
            parsed = None
    return parsed
