"""Telling the reminder planner that a patient's schedule changed: the queue
(`ScheduleChange`, one of the app's models) and the service that fills it."""

from __future__ import annotations

from django.db import models

from practice.tenancy import ClinicScopedQuerySet


class ScheduleChange(models.Model):
    """A change to what a patient's reminders are planned from (their zone or status, a
    diagnosis, a program, a questionnaire answer), written in the same transaction as
    the change. The reminder planner works the patient's next due instants out again
    and deletes the row: a queue, so a change committed while a pass runs is seen by the
    next one, and apps below the planner need not know its rules."""

    clinic_path = "patient__clinic"

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Schedule of patient {self.patient_id} changed at {self.created_at}"


def patient_schedule_changed(*, patient_id: int) -> None:
    """Queue the patient for the planner's next pass; call it inside the transaction
    that changes their zone or status, a diagnosis, a program or an answer."""
    ScheduleChange.objects.create(patient_id=patient_id)
