"""Schemathesis over the whole OpenAPI schema against a live, threaded HTTP server.

The in-process run (tests/config/test_schema_fuzz.py) calls the WSGI app directly; this
one sends every request over a real socket to a live server, so the full request path
(HTTP parsing, headers, content types) is exercised. Staff operations run as a
therapist, /me operations as a patient, with real JWTs. Examples per operation are few
and derandomized so the run is repeatable and quick.

The server's request threads use the test's own database connection (as Django's live
server does for in-memory SQLite), so each test runs in its transaction and is rolled
back like any other: no flush of every table and reload of the library per operation.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler, _StaticFilesHandler
from hypothesis import HealthCheck, Phase, settings

from tests.factories import (
    ClinicFactory,
    make_diagnosis,
    make_patient,
    make_patient_user,
    make_prescription,
    make_staff,
)
from tests.fuzzing import CHECKS, auth_for, bearer_tokens, load_schema

pytestmark = pytest.mark.django_db

# Loaded at collection, in-process: the schema view needs no database. Rebuilt from its
# JSON without the app, because a schema that holds the WSGI app sends every request
# in-process whatever base_url is given. Lazy loading (schemathesis.pytest.from_fixture)
# does not work with this pytest.
schema = schemathesis.openapi.from_dict(load_schema().raw_schema)


class _SharedConnectionServer(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        pass  # the connection is the test's: its transaction outlives each request


class _SharedConnectionThread(LiveServerThread):
    server_class = _SharedConnectionServer

    def __init__(self, shared: dict[str, object]) -> None:
        # The serving thread itself gets no override, so closing its connections when it
        # stops leaves the test's open; only the request threads share it.
        super().__init__("127.0.0.1", _StaticFilesHandler)
        self.shared = shared

    def _create_server(self, connections_override=None) -> ThreadedWSGIServer:
        return self.server_class(
            (self.host, self.port),
            QuietWSGIRequestHandler,
            allow_reuse_address=False,
            connections_override=self.shared,
        )


@pytest.fixture(scope="module")
def live_url(django_db_setup) -> Iterator[str]:
    connection = connections["default"]
    connection.inc_thread_sharing()
    # As Django's test client does: a request must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    thread = _SharedConnectionThread({"default": connection})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    connection.dec_thread_sharing()


@pytest.fixture
def tokens(db):
    clinic = ClinicFactory(name="Live Spine Clinic", slug="live-spine")
    therapist = make_staff(clinic=clinic, username="pt.live")
    patient = make_patient(clinic=clinic, primary_therapist=therapist)
    patient_user = make_patient_user(patient, username="patient.live").user
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    return bearer_tokens(staff_user=therapist.user, patient_user=patient_user)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_live_api_never_errors_and_answers_as_documented(case, live_url, tokens):
    case.call_and_validate(base_url=live_url, headers=auth_for(case, tokens), checks=CHECKS)
