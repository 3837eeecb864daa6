"""Outside a transaction (as an API answer is written) a page's access-log rows go in as
one statement; inside one, in a savepoint of their own, as before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from audit.services import record_access_log
from tests.clients import bearer
from tests.factories import make_patient, make_staff

PATIENTS = "/api/v1/patients/"


@pytest.mark.django_db(transaction=True)
def test_a_page_of_patients_is_logged_in_one_statement_outside_a_transaction():
    therapist = make_staff(username="pt.statement")
    patients = [make_patient(clinic=therapist.clinic, last_name=f"Row{n}") for n in range(3)]
    api = bearer(therapist.user)

    with CaptureQueriesContext(connection) as captured:
        response = api.get(PATIENTS, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200
    log_writes = [q["sql"] for q in captured.captured_queries if "audit_recordaccess" in q["sql"]]
    assert len(log_writes) == 1
    assert log_writes[0].lstrip().startswith("INSERT")
    # Autocommitted: no transaction of its own around it.
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in sql if s.startswith(("BEGIN", "COMMIT", "SAVEPOINT"))]
    rows = RecordAccess.objects.order_by("patient_id")
    assert [r.patient_id for r in rows] == sorted(p.pk for p in patients)
    assert {(r.user_id, r.clinic_id, r.action, r.method, r.path, r.ip) for r in rows} == {
        (therapist.user_id, therapist.clinic_id, "view", "GET", PATIENTS, "203.0.113.9")
    }


@pytest.mark.django_db(transaction=True)
def test_rows_written_in_one_statement_come_back_with_their_ids():
    therapist = make_staff(username="pt.ids")
    patients = [make_patient(clinic=therapist.clinic, last_name=f"Id{n}") for n in range(2)]

    rows = record_access_log(user=therapist.user, patients=patients, action="view")

    stored = dict(RecordAccess.objects.values_list("patient_id", "pk"))
    assert {row.patient_id: row.pk for row in rows} == stored
    assert all(not row._state.adding for row in rows)


@pytest.mark.django_db
def test_inside_a_transaction_the_rows_go_in_a_savepoint(therapist_api, patient):
    with CaptureQueriesContext(connection) as captured:
        assert therapist_api.get(PATIENTS).status_code == 200

    sql = [q["sql"] for q in captured.captured_queries]
    insert = next(n for n, s in enumerate(sql) if "audit_recordaccess" in s)
    assert sql[insert - 1].startswith("SAVEPOINT")
    assert sql[insert + 1].startswith("RELEASE SAVEPOINT")
