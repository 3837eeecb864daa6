"""The planner's index of when each patient is next due."""

from __future__ import annotations

from django.db import models

from patients.models import Patient
from practice.tenancy import ClinicScopedQuerySet


class PlannerDue(models.Model):
    """When each patient's schedule next asks the planner for something, so a pass reads
    the patients due in its window instead of every schedule there is
    (`reminders.planner.due` keeps it).

    - `exercise_at`: the next instant one of the patient's active programs reminds them,
      at or after the pass that worked it out; None when no program reminds. Once it has
      passed, the next pass works out the one after it.
    - `questionnaire_at`: from when an outcome questionnaire is due (the local midnight
      of its due date); None when none will be until the schedule changes.
    - `idle_from`: the patient's last activity as last worked out (the later of their
      latest session and their active program's start); sessions logged since only
      move the true one later, and the inactivity pass works it out again when it reads
      them. None without an active program.

    A change to what these come from queues the patient (`patients.ScheduleChange`),
    and the next pass works both out again from the facts.
    """

    clinic_path = "patient__clinic"

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="planner_due"
    )
    exercise_at = models.DateTimeField(null=True, blank=True)
    questionnaire_at = models.DateTimeField(null=True, blank=True)
    idle_from = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "planner due instants"
        indexes = [
            models.Index(
                fields=["exercise_at"],
                condition=models.Q(exercise_at__isnull=False),
                name="planner_due_exercise",
            ),
            models.Index(
                fields=["questionnaire_at"],
                condition=models.Q(questionnaire_at__isnull=False),
                name="planner_due_questionnaire",
            ),
            models.Index(
                fields=["idle_from"],
                condition=models.Q(idle_from__isnull=False),
                name="planner_due_idle",
            ),
        ]

    def __str__(self) -> str:
        return f"Planner due instants of patient {self.patient_id}"
