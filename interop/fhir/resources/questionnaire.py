"""FHIR Questionnaire for each instrument (outcomes.instruments) and
QuestionnaireResponse from outcomes.QuestionnaireResponse (see interop.fhir.types).

Each option is a Coding of the instrument's local answer system: its code is the
option's value as the instrument numbers it (what the app sends and the scoring reads;
outcomes.instruments), its display the option's words for that item. The same code
in two items of one instrument is the same position on the scale, not the same words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from interop.fhir import codes, systems
from interop.fhir.types import FhirType, Resource, Source, coding, reference
from outcomes import instruments
from outcomes.models import QuestionnaireResponse

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.models import QuerySet

    from practice.models import Clinic


def canonical_url(code: str) -> str:
    return systems.canonical("Questionnaire", code.lower())


def response_named(responses: QuerySet[QuestionnaireResponse]) -> set[str]:
    """The Questionnaires these answers are to."""
    return {
        canonical_url(code)
        for code in responses.order_by().values_list("code", flat=True).distinct()
    }


def version_key(version: str) -> str:
    """An instrument version as a canonical's `|version` can carry it (no spaces):
    "ODI 2.1a (paraphrase 1)" -> "ODI-2.1a-paraphrase-1"."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", version).strip("-")


def answer_system(code: str) -> str:
    return systems.local_code_system(f"{code.lower()}-answer")


def answer_coding(
    instrument: instruments.Instrument, item: instruments.Item, value: int
) -> Resource:
    option = next((o for o in item.options if o.value == value), None)
    return coding(answer_system(instrument.code), str(value), option.label if option else None)


# --- Questionnaire -------------------------------------------------------------------


def instrument_rows(clinic: Clinic) -> Sequence[instruments.Instrument]:
    return tuple(instruments.INSTRUMENTS.values())


def render_questionnaire(instrument: instruments.Instrument) -> Resource:
    return {
        "resourceType": "Questionnaire",
        "id": instrument.code,
        "url": canonical_url(instrument.code),
        "version": version_key(instrument.version),
        "name": re.sub(r"[^A-Za-z0-9]", "", instrument.title.title()),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "language": instrument.language,
        "description": instrument.instructions,
        "item": [
            {
                "linkId": item.key,
                "text": item.text,
                "type": "choice",
                "answerOption": [
                    {"valueCoding": answer_coding(instrument, item, option.value)}
                    for option in item.options
                ],
            }
            for item in instrument.items
        ],
    }


# --- QuestionnaireResponse -----------------------------------------------------------


def response_rows(clinic: Clinic) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.for_clinic(clinic).select_related(
        "patient", "entered_by__user"
    )


def questionnaire_reference(response: QuestionnaireResponse) -> str:
    url = canonical_url(response.code)
    if response.instrument_version:
        return f"{url}|{version_key(response.instrument_version)}"
    return url


def render_response(response: QuestionnaireResponse) -> Resource:
    instrument = response.instrument
    answers = response.answers if isinstance(response.answers, dict) else {}
    items: list[Resource] = []
    for item in instrument.items:
        value = answers.get(item.key)
        # A skipped item is left out, as FHIR has no answer for "not answered".
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            continue
        items.append(
            {
                "linkId": item.key,
                "text": item.text,
                "answer": [{"valueCoding": answer_coding(instrument, item, value)}],
            }
        )
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "questionnaire": questionnaire_reference(response),
        "status": "completed",
        "subject": reference("Patient", response.patient_id),
        "authored": response.answered_at.isoformat(),
        # Entered in the clinic by staff (on paper or read aloud), else the patient's app.
        "source": (
            codes.clinician(response.entered_by)
            if response.entered_by is not None
            else reference("Patient", response.patient_id)
        ),
    }
    if response.language:
        resource["language"] = response.language
    if items:
        resource["item"] = items
    return resource


TYPES: tuple[FhirType, ...] = (
    FhirType(
        name="Questionnaire",
        sources=(Source(rows=instrument_rows, render=render_questionnaire, key=lambda i: i.code),),
        documentation="The outcome instruments: ODI, NPRS, RMDQ and STarT Back.",
    ),
    FhirType(
        name="QuestionnaireResponse",
        sources=(
            Source(
                rows=response_rows,
                render=render_response,
                patient="patient_id",
                date="answered_at",
                names=response_named,
                # Answers never change once given.
                last_updated="created_at",
            ),
        ),
        documentation="Each answered outcome questionnaire, item by item.",
    ),
)
