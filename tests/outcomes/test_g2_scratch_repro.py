import datetime, uuid
import pytest
from django.urls import reverse
from programs.models import ExerciseSession
from tests.factories import make_prescription
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("moment,zone", [
    (datetime.datetime(1, 1, 1, tzinfo=datetime.UTC), "America/New_York"),
    (datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC), "Pacific/Kiritimati"),
    (datetime.datetime(1, 1, 1, 12, tzinfo=datetime.UTC), "Asia/Tokyo"),
])
def test_repro(client, therapist, patient, diagnosis, moment, zone):
    p = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    ExerciseSession.objects.create(patient=patient, prescription=p, client_id=uuid.uuid4(),
        performed_at=moment, pain_before=3, pain_after=3, pain_extent="thigh")
    patient.time_zone = zone
    patient.save()
    api = bearer(therapist.user)
    for url in [f"/api/v1/patients/{patient.pk}/sessions/", f"/api/v1/patients/{patient.pk}/progress/"]:
        try:
            r = api.get(url)
            print(url, r.status_code, len(r.content))
        except Exception as e:
            print(url, "EXC", repr(e))
    client.force_login(therapist.user)
    for url in [reverse("admin:patients_patient_change", args=[patient.pk]), reverse("admin:programs_exercisesession_changelist")]:
        try:
            r = client.get(url)
            print(url, r.status_code)
        except Exception as e:
            print(url, "EXC", repr(e))
