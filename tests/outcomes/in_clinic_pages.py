"""Driving the in-clinic questionnaire pages as a browser does: open the page, then post
the answers with the occasion the page showed (its hidden fields)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from outcomes.models import QuestionnaireResponse


def logged_in(staff, **options) -> Client:
    client = Client(raise_request_exception=False, **options)
    client.force_login(staff.user)
    return client


def choose_url(patient) -> str:
    return reverse("admin:outcomes_questionnaireresponse_record", args=[patient.pk])


def record_url(patient, code: str) -> str:
    return reverse("admin:outcomes_questionnaireresponse_record_code", args=[patient.pk, code])


def posted(answers: dict) -> dict[str, str]:
    return {key: str(value) for key, value in answers.items() if value is not None}


def shown_on_page(client: Client, patient, code: str) -> dict[str, str]:
    """The hidden fields of the record page as it is now (none when it is refused)."""
    page = client.get(record_url(patient, code))
    if page.status_code != 200 or page.context.get("shown") is None:
        return {}
    form = page.context["shown"]
    return {form.add_prefix(name): str(value) for name, value in form.initial.items()}


def submit(client: Client, patient, code: str, answers: dict):
    """Open the record page and save `answers` on it."""
    shown = shown_on_page(client, patient, code)
    return client.post(record_url(patient, code), posted(answers) | shown)


def stored(patient) -> list[QuestionnaireResponse]:
    return list(QuestionnaireResponse.objects.filter(patient=patient).order_by("pk"))
