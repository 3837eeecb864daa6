"""A typed client generated from the live schema drives a patient's first day.

As a mobile team would: openapi-python-client builds a package from /api/schema/ as the
running server serves it, `mypy --strict` checks the journey (generated_client/journey.py)
against that package with no `Any`, cast or ignore in the journey, and then the journey
runs for real against the live server. A component the generator cannot build fails the
generation (`--fail-on-warning`); a schema that lies about a field (optional when always
sent, a string id, a separate enum per endpoint) fails the type check; a server that
answers other than documented fails the run (the client raises on an undocumented
status, and cannot parse a value its enum lacks). The effects are then read back from
the database.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import django.apps
import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from core.localtime import local_today, patient_zone
from outcomes.models import QuestionnaireResponse
from programs.models import ExerciseSession, ProgramTemplate
from programs.seed.loader import load_library
from tests.factories import (
    ClinicFactory,
    make_diagnosis,
    make_invite,
    make_patient,
    make_prescription,
    make_staff,
)

# The live server answers from another thread, so the data must be committed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.generated_client]

FIXTURES = Path(__file__).parent / "generated_client"
BIN = Path(sys.executable).parent
USERNAME = "river.app"
PASSWORD = "a-long-phone-passphrase-42"
# Each step takes seconds; the bound only stops a hung one.
STEP_SECONDS = 180


def _run(args: list[str], *, cwd: Path) -> str:
    """Run one step; on failure show everything it said."""
    # No proxy between the journey and the live server on 127.0.0.1.
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["PYTHONPATH"] = str(cwd)
    done = subprocess.run(  # noqa: S603 - our own tools with our own arguments
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_SECONDS, check=False
    )
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def invited(transactional_db):
    """A patient just evaluated and prescribed a program a week ago, holding the
    one-time code of their invitation."""
    # A transactional test flushes the tables, the seeded library included.
    if ProgramTemplate.objects.count() == 0:
        load_library(django.apps.apps)
    clinic = ClinicFactory(name="Riverside Spine Clinic", slug="riverside-spine")
    therapist = make_staff(clinic=clinic, username="pt.riverside")
    patient = make_patient(clinic=clinic, primary_therapist=therapist)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    week_ago = local_today(patient_zone(patient)) - datetime.timedelta(days=7)
    prescription = make_prescription(
        diagnosis=diagnosis, prescribed_by=therapist, start_date=week_ago
    )
    return prescription, make_invite(patient=patient, invited_by=therapist).code


def generate_and_typecheck(schema: bytes, directory: Path) -> None:
    """Generate the client from `schema` into `directory` and type-check the journey
    against it; fails on any generator warning or type error."""
    (directory / "schema.json").write_bytes(schema)
    _run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path=schema.json",
            f"--config={FIXTURES / 'config.yaml'}",
            "--meta=none",
            "--fail-on-warning",
        ],
        cwd=directory,
    )
    for name in ("journey.py", "signout.py", "mypy.ini"):
        shutil.copy(FIXTURES / name, directory / name)
    _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file=mypy.ini",
            "journey.py",
            "signout.py",
            "sciatica_client",
        ],
        cwd=directory,
    )


def run_journey(directory: Path, base_url: str, code: str) -> dict[str, str]:
    """Run the journey against the server; returns the summary it prints last."""
    said = _run([sys.executable, "journey.py", base_url, code, USERNAME, PASSWORD], cwd=directory)
    return json.loads(said.splitlines()[-1])


def test_a_typed_client_generated_from_the_live_schema_runs_a_patient_journey(
    live_server, invited, tmp_path
):
    prescription, code = invited
    base_url = live_server.url.replace("localhost", "127.0.0.1")
    with urllib.request.urlopen(f"{base_url}/api/schema/?format=json") as answer:  # noqa: S310
        schema = answer.read()

    generate_and_typecheck(schema, tmp_path)
    summary = run_journey(tmp_path, base_url, code)

    patient = prescription.patient
    patient.refresh_from_db()
    assert patient.user is not None
    assert patient.user.username == USERNAME
    assert summary["patient"] == str(patient.pk)
    session = ExerciseSession.objects.get(client_id=uuid.UUID(summary["session"]))
    assert session.patient == patient
    assert session.prescription == prescription
    assert (session.leg_pain_before, session.leg_pain_after) == (6, 4)
    assert (session.back_pain_before, session.back_pain_after) == (2, 2)
    (item,) = session.items.all()
    assert (item.leg_pain_before, item.leg_pain_after) == (6, 4)
    assert patient.sessions.count() == 2
    prescription.refresh_from_db()
    assert prescription.reminder_times == ["07:30", "19:15"]
    assert summary["reminder_times"] == "07:30,19:15"
    nprs = QuestionnaireResponse.objects.get(pk=int(summary["nprs"]))
    assert (nprs.patient, nprs.code) == (patient, "nprs")
    # Two refresh tokens were issued (the login, the rotation); both ended blacklisted.
    issued = OutstandingToken.objects.filter(user=patient.user)
    assert issued.count() == 2
    assert BlacklistedToken.objects.filter(token__in=issued).count() == 2
