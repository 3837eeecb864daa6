"""What a prescription's home-exercise handout shows, in the patient's language.

The paper goes home with the patient and may lie on a kitchen table: it names the
patient by first name only and carries nothing of the diagnosis (no cause, side or
ICD-10 code), in its text, its title or its file name. It lists the exercises of the
program's current phase with their pictures, steps and prescribed dosage, and leaves
out those the safety rules stopped for pain and no clinician has resumed since: the
patient must not do them until the therapist has reviewed them. While the patient is on
a hold (a red flag, or a referral to a physician) or the program is paused, it lists no
exercise at all and says to call the clinic. The emergency signs are on every handout.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

from patients.models import Patient
from programs.holds import current_hold
from programs.media import active_language
from programs.media_sources import UPLOAD_TYPES
from programs.models import ExerciseMedia, MediaKind, PrescribedExercise, Prescription
from programs.selectors import template_phases
from programs.stops import stopped_exercise_ids
from programs.today import phase_names_shown, program_name_shown

# The types a picture may be embedded as: what clinics upload, and the library's own
# line drawings, shipped as SVG.
IMAGE_TYPES = {
    **{suffix: kind for suffix, kind in UPLOAD_TYPES.items() if kind.startswith("image/")},
    ".svg": "image/svg+xml",
}


class NoHandoutError(ValidationError):
    """The program has ended: there is nothing to do at home any more."""


@dataclass(frozen=True)
class HandoutImage:
    # A data: URI, so the PDF renderer reads no file and fetches no URL itself.
    src: str
    caption: str


@dataclass(frozen=True)
class DosagePart:
    label: str
    value: str


@dataclass(frozen=True)
class HandoutExercise:
    name: str
    steps: tuple[str, ...]
    dosage: tuple[DosagePart, ...]
    image: HandoutImage | None


@dataclass(frozen=True)
class Handout:
    language: str
    clinic_name: str
    clinic_phone: str
    first_name: str
    program_name: str
    phase_name: str
    exercises: tuple[HandoutExercise, ...]
    # The current phase's exercises stopped for pain and not resumed: counted, not named.
    paused_count: int
    # A hold or a paused program: no exercise is listed.
    program_paused: bool
    weekdays: tuple[str, ...]
    reminder_times: tuple[str, ...]

    @property
    def filename(self) -> str:
        return "home-exercises.pdf"


def handout_prescriptions() -> QuerySet[Prescription]:
    """Prescriptions with what the handout reads: the patient and clinic, the exercises
    with their library rows and media (three queries whatever the program's length)."""
    items = PrescribedExercise.objects.select_related("exercise").order_by("phase", "order", "pk")
    media = ExerciseMedia.objects.filter(kind=MediaKind.IMAGE)
    return Prescription.objects.select_related("patient__clinic").prefetch_related(
        Prefetch("exercises", queryset=items),
        Prefetch("exercises__exercise__media", queryset=media),
    )


def handout_language(patient: Patient, fallback: str | None = None) -> str:
    """The patient's chosen language, else `fallback` (the request's: the phone's for the
    patient, the browser's for staff who print it), else the site's."""
    known = {code for code, _ in settings.LANGUAGES}
    for language in (patient.language, fallback):
        base = (language or "").split("-")[0].lower()
        if base in known:
            return base
    return settings.LANGUAGE_CODE


def handout_of(*, prescription: Prescription, fallback_language: str | None = None) -> Handout:
    """The handout of an open prescription (read by `handout_prescriptions`);
    NoHandoutError for a completed or stopped one."""
    if prescription.status not in Prescription.OPEN_STATUSES:
        raise NoHandoutError(
            gettext("This program is %(status)s: a handout is printed for an open program.")
            % {"status": prescription.get_status_display().lower()}
        )
    patient = prescription.patient
    language = handout_language(patient, fallback_language)
    with translation.override(language):
        return _gathered(prescription, patient, language)


def _gathered(prescription: Prescription, patient: Patient, language: str) -> Handout:
    paused = current_hold(patient) is not None or prescription.status == Prescription.Status.PAUSED
    current = [
        item for item in prescription.exercises.all() if item.phase == prescription.current_phase
    ]
    # Stopped for pain in this phase or an earlier one: not to be done until resumed.
    held_back = stopped_exercise_ids(prescription)
    to_do = [item for item in current if item.exercise_id not in held_back]
    phases = template_phases(prescription.template_id)
    names = phase_names_shown(prescription, phases)
    number = prescription.current_phase
    return Handout(
        language=language,
        clinic_name=patient.clinic.name,
        clinic_phone=patient.clinic.phone,
        first_name=patient.first_name,
        program_name=program_name_shown(prescription, phases),
        phase_name=names[number - 1]
        if 0 < number <= len(names)
        else prescription.current_phase_name,
        exercises=() if paused else tuple(_exercise(item) for item in to_do),
        paused_count=0 if paused else len(current) - len(to_do),
        program_paused=paused,
        weekdays=tuple(str(WEEKDAYS[day]) for day in sorted(set(prescription.weekdays))),
        reminder_times=tuple(sorted(prescription.reminder_times)),
    )


def _exercise(item: PrescribedExercise) -> HandoutExercise:
    exercise = item.exercise
    return HandoutExercise(
        name=exercise.name,
        steps=tuple(exercise.steps),
        dosage=dosage_parts(item),
        image=embedded_image(exercise.media.all()),
    )


def dosage_parts(item: PrescribedExercise) -> tuple[DosagePart, ...]:
    """The prescribed dosage, one labelled value per field set; "as directed" for none."""
    parts = []
    if item.sets:
        parts.append(DosagePart(gettext("Sets"), str(item.sets)))
    if item.reps:
        parts.append(DosagePart(gettext("Repetitions"), str(item.reps)))
    if item.hold_seconds:
        parts.append(
            DosagePart(
                gettext("Hold"), gettext("%(seconds)d seconds") % {"seconds": item.hold_seconds}
            )
        )
    if item.minutes:
        parts.append(
            DosagePart(gettext("Time"), gettext("%(minutes)d minutes") % {"minutes": item.minutes})
        )
    if item.times_per_day:
        parts.append(DosagePart(gettext("Times a day"), str(item.times_per_day)))
    return tuple(parts) or (DosagePart(gettext("Dosage"), gettext("as directed")),)


def embedded_image(media: Iterable[ExerciseMedia]) -> HandoutImage | None:
    """The first picture for the active language (or for every language) that this
    server holds itself: a linked one would make the renderer fetch from the network."""
    language = active_language()
    for row in media:
        if row.kind != MediaKind.IMAGE or row.language not in ("", language) or row.url:
            continue
        data = _image_bytes(row)
        if data is not None:
            kind, content = data
            encoded = base64.b64encode(content).decode("ascii")
            return HandoutImage(src=f"data:{kind};base64,{encoded}", caption=row.caption)
    return None


def _image_bytes(row: ExerciseMedia) -> tuple[str, bytes] | None:
    name = row.static_path or row.file.name or ""
    kind = IMAGE_TYPES.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        return None
    if row.static_path:
        # A shipped drawing missing from this deployment is left out, as the app does.
        found = finders.find(row.static_path)
        if not isinstance(found, str):
            return None
        with open(found, "rb") as handle:
            return kind, handle.read()
    if not default_storage.exists(name):
        return None
    with default_storage.open(name) as handle:
        return kind, handle.read()
