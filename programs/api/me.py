"""The patient's /me/program: their open program and what it plans for today, in their
time zone. Thin: the reads are programs.today's."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import PatientSelfMixin
from programs import today
from programs.selectors import open_program_for_today

from . import me_serializers as s
from .me_rows import my_program


class MyProgramView(PatientAccessLogMixin, PatientSelfMixin, APIView):
    """The caller's open program and what is planned for today (in their time zone)."""

    @extend_schema(
        summary="My program and today's plan",
        description="Without an active or paused program `has_program` is false, the "
        "program's fields are null or empty and today plans no exercise; the holds and the "
        "stopped exercises are shown either way. While the patient is on a medical or "
        "referral hold, `on_hold` says so with the guidance to show, and today is no "
        "exercise day and lists no exercises. Phase names come in the patient's language. "
        "Carries an ETag: send it back in If-None-Match for a 304 while nothing changed.",
        responses={200: s.MyProgramSerializer},
    )
    def get(self, request):
        patient = self.patient
        program, reads = open_program_for_today(patient)
        # A plain dict, as MyProgramSerializer (the declared answer) would give it.
        plan = today.program_today(patient, program, reads=reads)
        return Response(my_program(plan, request))
