import pytest
from django.test import Client
from django.urls import reverse

from tests.admin.test_every_admin_page import world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_probe(world):  # noqa: F811
    out = []
    own = world.own
    treated, held, referred, cleared, discharged, newcomer = own.patients
    other = world.other.patients[0]
    rx = treated.prescriptions.get()
    item = rx.exercises.filter(stopped_for_pain_at__isnull=False).first()
    other_rx = other.prescriptions.get()
    other_item = other_rx.exercises.first()
    for role in ["physical_therapist", "front_desk", "clinic_admin", "superuser"]:
        c = Client(raise_request_exception=False)
        c.force_login(world.users[role])
        def post(name, args, data, q=""):
            url = reverse(name, args=args) + q
            r = c.post(url, data)
            errs = ""
            if r.status_code == 200 and r.context is not None:
                f = r.context.get("form") or r.context.get("adminform")
                errs = getattr(getattr(f, "form", f), "errors", "")
            out.append(f"{role:20} {r.status_code} {url} {dict(data)} -> {str(errs)[:200]}")
        R = "admin:programs_prescription_exercise_resume"
        post(R, [rx.pk, item.pk], {"note": ""})
        post(R, [rx.pk, item.pk], {"note": "   "})
        post(R, [rx.pk, item.pk], {"note": "x" * 10000})
        post(R, [rx.pk, other_item.pk], {"note": "ok"})
        post(R, [other_rx.pk, other_item.pk], {"note": "ok"})
        post(R, [rx.pk, rx.exercises.exclude(pk=item.pk).first().pk], {"note": "not stopped"})
        post("admin:patients_patient_clear_hold", [held.pk], {"note": ""})
        post("admin:patients_patient_clear_hold", [treated.pk], {"note": "not held"})
        post("admin:patients_patient_referral_outcome", [referred.pk], {"outcome": "bogus", "physician_name": "Dr X", "note": "n"})
        post("admin:patients_patient_referral_outcome", [referred.pk], {"outcome": "cleared_to_treat", "physician_name": "", "note": ""})
        post("admin:patients_patient_referral_outcome", [treated.pk], {"outcome": "cleared_to_treat", "physician_name": "Dr X", "note": "n"})
        post("admin:patients_patient_consent", [treated.pk], {"consent_sms": "maybe"})
        post("admin:patients_patient_discharge", [held.pk], {"confirm": "1", "note": "x" * 3000})
        post("admin:patients_patient_discharge", [discharged.pk], {"confirm": "1", "note": "again"})
        post("admin:patients_patient_archive", [other.pk], {"confirm": "1", "note": "x"})
        base = {"patient": treated.pk, "therapist": own.therapist.pk, "duration_minutes": 45, "kind": "follow_up", "status": "attended", "late_entry_reason": "walk-in", "notes": ""}
        A = "admin:practice_appointment_add"
        post(A, [], {**base, "starts_at_0": "9999-12-31", "starts_at_1": "23:59"}, "?past=1")
        post(A, [], {**base, "starts_at_0": "0001-01-01", "starts_at_1": "00:00"}, "?past=1")
        post(A, [], {**base, "starts_at_0": "2099-01-01", "starts_at_1": "10:00"}, "?past=1")
        post(A, [], {**base, "late_entry_reason": "", "starts_at_0": "2026-11-01", "starts_at_1": "10:00"}, "?past=1")
        post(A, [], {**base, "patient": other.pk, "starts_at_0": "2026-11-01", "starts_at_1": "10:00"}, "?past=1")
        post(A, [], {**base, "therapist": world.other.therapist.pk, "starts_at_0": "2026-11-01", "starts_at_1": "10:00"}, "?past=1")
        post(A, [], {**base, "starts_at_0": "9999-12-31", "starts_at_1": "23:59"})
        post(A, [], {**base, "starts_at_0": "2027-13-45", "starts_at_1": "25:00"})
        post(A, [], {**base, "duration_minutes": "999999999999", "starts_at_0": "2027-01-05", "starts_at_1": "10:00"})
        appt = treated.appointments.filter(status="scheduled").first()
        post("admin:practice_appointment_change", [appt.pk], {"therapist": own.therapist.pk, "starts_at_0": "9999-12-31", "starts_at_1": "23:59", "duration_minutes": 45, "kind": "follow_up", "notes": ""})
        post("admin:practice_appointment_change", [appt.pk], {"therapist": own.therapist.pk, "starts_at_0": "2020-01-01", "starts_at_1": "10:00", "duration_minutes": 45, "kind": "follow_up", "notes": ""})
        P = "admin:patients_patient_add"
        post(P, [], {"mrn": "NEW1", "first_name": "A", "last_name": "B", "date_of_birth": "9999-12-31", "time_zone": "America/New_York", "status": "active"})
        post(P, [], {"mrn": treated.mrn, "first_name": "A", "last_name": "B", "date_of_birth": "1980-01-01", "time_zone": "Mars/Olympus", "status": "active", "primary_therapist": world.other.therapist.pk})
        post("admin:patients_diagnosis_add", [], {"patient": treated.pk, "cause": "herniated_disc", "side": "left", "icd10_code": "M54.41", "secondary_icd10_codes": "M51.16, ZZZ", "onset_date": "9999-01-01", "diagnosed_on": "0001-01-01"})
        post("admin:patients_diagnosis_add", [], {"patient": other.pk, "cause": "herniated_disc", "side": "left", "icd10_code": "M51.16", "onset_date": "2026-01-01"})
        post("admin:patients_redflagscreening_add", [], {"patient": treated.pk, "screened_at_0": "9999-12-31", "screened_at_1": "23:59", "notes": ""})
        post("admin:patients_redflagscreening_add", [], {"patient": other.pk, "foot_drop": "on"})
        post("admin:programs_prescription_change", [rx.pk], {"weekdays": ["9"], "reminder_times": "25:99"})
        post("admin:patients_clinicalalert_change", [treated.alerts.first().pk], {"resolution_note": ""})
        post("admin:practice_staffmember_add", [], {"username": world.users["front_desk"].username.upper(), "role": "physical_therapist", "password1": "x", "password2": "y"})
        post("admin:reminders_staffcontact_add", [], {"staff": world.other.therapist.pk, "phone": "garbage"})
        post("admin:reminders_clinicremindersettings_add", [], {"clinic": world.other.clinic.pk, "escalation_minutes": "-5"})
    print("\n".join(out))
    assert not [line for line in out if " 5" in line[20:26]], "\n".join(out)
