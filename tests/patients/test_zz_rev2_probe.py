import pytest
from django.urls import reverse
from patients.services import red_flag_screen
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
NO = {f: False for f in ["progressive_weakness","foot_drop","bowel_bladder_dysfunction","saddle_numbness","bilateral_symptoms"]}

def test_api_odd(patient, therapist, client):
    red_flag_screen(patient=patient, flags={"foot_drop": True, "history_of_cancer": True}, screened_by=therapist)
    api = bearer(therapist.user)
    out = []
    for url, body in [
        (f"/api/v1/patients/{patient.pk}/clear-hold/", {"note": ["a"]}),
        (f"/api/v1/patients/{patient.pk}/clear-hold/", {"note": {"a": 1}}),
        (f"/api/v1/patients/{patient.pk}/clear-hold/", ["x"]),
        (f"/api/v1/patients/{patient.pk}/clear-hold/", {"note": "x" * 3000}),
        (f"/api/v1/patients/{patient.pk}/clear-hold/", {"note": "a\x00b"}),
        (f"/api/v1/patients/abc/clear-hold/", {"note": "a"}),
        (f"/api/v1/patients/99999999999999999999/clear-hold/", {"note": "a"}),
        (f"/api/v1/patients/{patient.pk}/referral-outcome/", {"outcome": None, "physician_name": "x", "note": "y"}),
        (f"/api/v1/patients/{patient.pk}/referral-outcome/", {"outcome": ["cleared_to_treat"], "physician_name": "x", "note": "y"}),
        (f"/api/v1/patients/{patient.pk}/referral-outcome/", {"outcome": "cleared_to_treat", "physician_name": "x\x00", "note": "y"}),
        (f"/api/v1/patients/{patient.pk}/referral-outcome/", {"outcome": "cleared_to_treat", "physician_name": "x", "note": "y", "patient": 999, "screening": 1}),
        ("/api/v1/screenings/", {**NO, "patient": patient.pk, "screened_at": "0001-01-01T00:00:00Z"}),
        ("/api/v1/screenings/", {**NO, "patient": patient.pk, "screened_at": "9999-12-31T23:59:59-05:00"}),
        ("/api/v1/screenings/", {**NO, "patient": patient.pk, "screened_at": "2031-01-01T00:00:00Z"}),
        ("/api/v1/screenings/", {**NO, "patient": patient.pk, "notes": "a\x00"}),
        ("/api/v1/screenings/", {**NO, "patient": "abc"}),
        ("/api/v1/screenings/", {**NO, "patient": 10**30}),
        ("/api/v1/screenings/", {**NO, "patient": patient.pk, "foot_drop": None}),
    ]:
        r = api.post(url, body, format="json")
        out.append((url[-30:], r.status_code, r.content[:150]))
    for url in ["/api/v1/screenings/?patient=abc", "/api/v1/screenings/?patient=99999999999999999999", "/api/v1/alerts/?open=maybe", "/api/v1/alerts/?resolved=x&kind=zzz", "/api/v1/screenings/?ordering=zzz", "/api/v1/screenings/abc/", "/api/v1/alerts/99999999999999999999/"]:
        r = api.get(url)
        out.append((url, r.status_code, r.content[:150]))
    r = api.post("/api/v1/alerts/abc/acknowledge/")
    out.append(("ack abc", r.status_code, r.content[:100]))
    for o in out: print(o)
    assert all(s < 500 for _, s, _ in out)

def test_admin_odd(patient, therapist, client):
    red_flag_screen(patient=patient, flags={"foot_drop": True, "history_of_cancer": True}, screened_by=therapist)
    client.force_login(therapist.user)
    out = []
    for name, data in [
        ("admin:patients_patient_referral_outcome", {"outcome": "zzz", "physician_name": "x", "note": "y"}),
        ("admin:patients_patient_referral_outcome", {"outcome": "cleared_to_treat", "physician_name": "x\x00", "note": "y"}),
        ("admin:patients_patient_referral_outcome", {"outcome": "cleared_to_treat", "physician_name": "x"*500, "note": "y"}),
        ("admin:patients_patient_clear_hold", {"note": "a\x00"}),
        ("admin:patients_patient_clear_hold", {"note": ""}),
        ("admin:patients_patient_consent", {"consent_sms": "maybe"}),
    ]:
        r = client.post(reverse(name, args=[patient.pk]), data)
        out.append((name, r.status_code))
    for pk in ["abc", "99999999999999999999", "-1", "1%00"]:
        for name in ["admin:patients_patient_referral_outcome", "admin:patients_patient_clear_hold", "admin:patients_patient_consent"]:
            r = client.get(f"/admin/patients/patient/{pk}/" + name.split("_patient_")[1].replace("_", "-") + "/")
            out.append((pk, name, r.status_code))
    r = client.post(reverse("admin:patients_redflagscreening_add"), {"patient": patient.pk, "screened_at_0": "9999-12-31", "screened_at_1": "23:59:59", "notes": ""})
    out.append(("screen far", r.status_code))
    r = client.post(reverse("admin:patients_redflagscreening_add"), {"patient": patient.pk, "screened_at_0": "0001-01-01", "screened_at_1": "00:00:00", "notes": ""})
    out.append(("screen 0001", r.status_code))
    r = client.post(reverse("admin:patients_redflagscreening_add"), {"patient": patient.pk, "screened_at": "9999-12-31 23:59:59", "notes": ""})
    out.append(("screen far2", r.status_code))
    r = client.get(reverse("admin:patients_referraloutcome_changelist") + "?outcome=zzz")
    out.append(("list zzz", r.status_code))
    r = client.get(reverse("admin:patients_redflagscreening_add") + "?patient=abc")
    out.append(("add ?patient=abc", r.status_code))
    r = client.get(reverse("admin:patients_redflagscreening_add") + "?patient=99999999999999999999")
    out.append(("add ?patient=big", r.status_code))
    for o in out: print(o)
    assert all(o[-1] < 500 for o in out)
