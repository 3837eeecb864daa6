"""The prescription page in the admin: the stop flag of each exercise, resuming one, and
a change that writes all of itself or nothing."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import RecordAccess
from patients.services import red_flag_screen
from programs.models import Dosage, PrescribedExercise, Prescription
from programs.services import exercise_resume, prescription_set_status
from tests.config.test_admin_workflows import _prescribe_data
from tests.factories import make_diagnosis, make_patient, make_prescription
from tests.programs.test_exercise_resume import NOTE, stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


@pytest.fixture
def stopped(prescription):
    return stop(prescription.exercises.order_by("phase", "order").first())


def change_url(prescription) -> str:
    return reverse("admin:programs_prescription_change", args=[prescription.pk])


def resume_url(item) -> str:
    return reverse(
        "admin:programs_prescription_exercise_resume", args=[item.prescription_id, item.pk]
    )


def change_data(prescription, *, weekdays=None, dosage=None) -> dict:
    """The change form as the page posts it: the schedule and every exercise's dosage,
    with `dosage` ({item id: {field: value}}) changed."""
    items = list(prescription.exercises.all())
    data = {
        "notes": prescription.notes,
        "weekdays": [str(d) for d in (weekdays or prescription.weekdays)],
        "reminder_times": ", ".join(prescription.reminder_times),
        "exercises-TOTAL_FORMS": str(len(items)),
        "exercises-INITIAL_FORMS": str(len(items)),
        "exercises-MIN_NUM_FORMS": "0",
        "exercises-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, item in enumerate(items):
        data[f"exercises-{i}-id"] = str(item.pk)
        data[f"exercises-{i}-prescription"] = str(prescription.pk)
        values = {**item.dosage, **(dosage or {}).get(item.pk, {})}
        for name in Dosage.DOSAGE_FIELDS:
            data[f"exercises-{i}-{name}"] = "" if values[name] is None else str(values[name])
    return data


def snapshot(prescription) -> tuple:
    prescription.refresh_from_db()
    items = prescription.exercises.order_by("pk")
    return (
        prescription.weekdays,
        prescription.reminder_times,
        prescription.history.count(),
        [item.dosage for item in items],
        sum(item.history.count() for item in items),
    )


# ---------------------------------------------------------------- all or nothing


@pytest.mark.parametrize("bad_reps", ["0", "1001", "abc", "-3"])
def test_an_invalid_exercise_inline_undoes_the_schedule_the_service_already_wrote(
    therapist_client, prescription, bad_reps
):
    item = prescription.exercises.first()
    before = snapshot(prescription)
    data = change_data(prescription, weekdays=[1, 3])
    index = list(prescription.exercises.all()).index(item)
    data[f"exercises-{index}-reps"] = bad_reps

    response = therapist_client.post(change_url(prescription), data)

    assert response.status_code == 200  # the page again, with the inline's error
    errors = response.context["inline_admin_formsets"][0].formset.errors[index]
    assert "reps" in errors
    # The schedule service ran while the form validated; the failed inline undid it.
    assert snapshot(prescription) == before


def test_a_refused_schedule_leaves_the_dosage_changes_unwritten(therapist_client, prescription):
    item = prescription.exercises.first()
    before = snapshot(prescription)
    data = change_data(prescription, dosage={item.pk: {"reps": 7}})
    data["reminder_times"] = "25:00"

    response = therapist_client.post(change_url(prescription), data)

    assert response.status_code == 200
    assert "reminder_times" in response.context["adminform"].form.errors
    assert snapshot(prescription) == before


def test_a_valid_change_writes_the_schedule_and_the_dosage(
    therapist_client, therapist, prescription
):
    item = prescription.exercises.first()
    response = therapist_client.post(
        change_url(prescription),
        change_data(prescription, weekdays=[1, 3], dosage={item.pk: {"reps": 7, "sets": None}}),
    )

    assert response.status_code == 302
    # Back to the patient's page, where the therapist was working.
    assert response.url == reverse("admin:patients_patient_change", args=[prescription.patient_id])
    prescription.refresh_from_db()
    assert prescription.weekdays == [1, 3]
    item.refresh_from_db()
    assert (item.reps, item.sets) == (7, None)
    assert item.history.first().history_user == therapist.user


def test_an_unchanged_exercise_gets_no_new_history(therapist_client, prescription):
    counts = [item.history.count() for item in prescription.exercises.order_by("pk")]
    response = therapist_client.post(change_url(prescription), change_data(prescription))
    assert response.status_code == 302
    assert [item.history.count() for item in prescription.exercises.order_by("pk")] == counts


# ---------------------------------------------------------------- the stop flag


def test_the_prescription_page_shows_the_stop_and_a_resume_button(therapist_client, stopped):
    response = therapist_client.get(change_url(stopped.prescription))

    assert response.status_code == 200
    html = response.text
    assert "Stopped 2026-03-02 09:30 EST" in html  # the clinic's time
    assert "Leg pain rose by 2 or more (pain 3 to 6)" in html
    assert "your leg pain rose from 3 to 6 while doing it" in html
    assert f'href="{resume_url(stopped)}"' in html
    assert html.count("Resume...") == 1  # only the stopped exercise has the button


def test_the_prescription_page_shows_the_last_resumption(therapist_client, therapist, stopped):
    exercise_resume(item=stopped, staff_member=therapist, note=NOTE)
    html = therapist_client.get(change_url(stopped.prescription)).text
    assert f"by {therapist}: {NOTE}" in html
    assert "Resume..." not in html


# ---------------------------------------------------------------- the resume page


def test_the_resume_page_resumes_with_a_note_and_says_so(therapist_client, therapist, stopped):
    page = therapist_client.get(resume_url(stopped))
    assert page.status_code == 200
    assert "Leg pain rose by 2 or more" in page.text
    assert 'name="note"' in page.text

    response = therapist_client.post(resume_url(stopped), {"note": NOTE})

    assert response.status_code == 302
    assert response["Location"] == change_url(stopped.prescription)
    item = PrescribedExercise.objects.get(pk=stopped.pk)
    assert not item.stop_and_contact_therapist
    assert (item.resumed_by, item.resume_note) == (therapist, NOTE)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"{item.exercise.name} is resumed: the patient may do it again."


def test_the_resume_page_needs_a_note(therapist_client, stopped):
    response = therapist_client.post(resume_url(stopped), {"note": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_the_resume_page_shows_the_hold_refusal(therapist_client, therapist, patient, stopped):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)

    response = therapist_client.post(resume_url(stopped), {"note": NOTE})

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert "is on medical hold" in error
    assert "can be resumed" in error
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_the_resume_page_of_an_exercise_that_is_not_stopped_refuses(therapist_client, prescription):
    item = prescription.exercises.first()
    page = therapist_client.get(resume_url(item))
    assert "This exercise is not stopped." in page.text
    response = therapist_client.post(resume_url(item), {"note": NOTE})
    assert response.status_code == 200
    assert "there is nothing to resume" in response.context["form"].non_field_errors()[0]


def test_the_front_desk_may_not_resume(client, front_desk, stopped):
    client.force_login(front_desk.user)
    assert client.get(resume_url(stopped)).status_code == 403
    assert client.post(resume_url(stopped), {"note": NOTE}).status_code == 403
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_another_clinics_therapist_gets_a_404(client, other_therapist, stopped):
    client.force_login(other_therapist.user)
    assert client.post(resume_url(stopped), {"note": NOTE}).status_code == 404
    assert PrescribedExercise.objects.get(pk=stopped.pk).stop_and_contact_therapist


def test_an_exercise_of_another_program_is_a_404(therapist_client, therapist, clinic, stopped):
    second = make_patient(clinic=clinic, first_name="Jo")
    theirs = make_prescription(
        diagnosis=make_diagnosis(patient=second, diagnosed_by=therapist), prescribed_by=therapist
    )
    url = reverse("admin:programs_prescription_exercise_resume", args=[theirs.pk, stopped.pk])
    assert therapist_client.post(url, {"note": NOTE}).status_code == 404
    huge = reverse("admin:programs_prescription_exercise_resume", args=[theirs.pk, 10**30])
    assert therapist_client.get(huge).status_code == 404


# ---------------------------------------------------------------- dates and holds


@pytest.mark.parametrize("start_date", ["1900-01-01", "2100-01-01"])
def test_prescribing_with_an_implausible_start_date_is_a_form_error(
    therapist_client, patient, diagnosis, start_date
):
    data = _prescribe_data(patient, diagnosis, "mckenzie-extension", start_date=start_date)

    response = therapist_client.post(reverse("admin:programs_prescription_add"), data)

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["start_date"]
    assert error == (
        f"{start_date} is not a plausible start date: a program starts between 2000 and 2099."
    )
    assert not Prescription.objects.exists()


def test_the_resume_action_on_a_paused_program_shows_the_hold_and_keeps_it_paused(
    therapist_client, therapist, patient, prescription
):
    prescription_set_status(
        prescription=prescription, status=Prescription.Status.PAUSED, actor=therapist.user
    )
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)

    response = therapist_client.post(
        reverse("admin:programs_prescription_changelist"),
        {"action": "set_active", "_selected_action": [prescription.pk]},
        follow=True,
    )

    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    prescription.refresh_from_db()
    assert message.startswith(f"{prescription}: {patient.full_name} is on medical hold")
    assert message.endswith("before the program can resume.")
    assert prescription.status == Prescription.Status.PAUSED


# ---------------------------------------------------------------- the access log


def logged(patient) -> list[str]:
    return list(
        RecordAccess.objects.filter(patient_id=patient.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_reading_and_changing_the_prescription_page_is_logged(
    therapist_client, patient, prescription
):
    therapist_client.get(change_url(prescription))
    therapist_client.post(change_url(prescription), change_data(prescription, weekdays=[2]))
    # A page shown again with errors is rolled back; its read is still logged.
    bad = change_data(prescription)
    bad["reminder_times"] = "25:00"
    assert therapist_client.post(change_url(prescription), bad).status_code == 200

    assert logged(patient) == ["view", "change", "view"]


def test_the_resume_page_is_logged(therapist_client, patient, stopped):
    therapist_client.get(resume_url(stopped))
    therapist_client.post(resume_url(stopped), {"note": NOTE})
    assert logged(patient) == ["view", "change"]


def test_another_clinics_page_logs_nothing(client, other_therapist, patient, stopped):
    client.force_login(other_therapist.user)
    client.get(change_url(stopped.prescription))
    client.get(resume_url(stopped))
    assert logged(patient) == []


# Digits that are no id: a superscript two, a number beyond PostgreSQL's bigint.
@pytest.mark.parametrize("patient_id", ["²", "99999999999999999999", "9999999999999999999"])
def test_the_prescribe_page_takes_a_patient_id_that_is_no_id_as_no_patient(
    therapist_client, diagnosis, patient_id
):
    url = reverse("admin:programs_prescription_add") + f"?patient={patient_id}"

    response = therapist_client.get(url)

    assert response.status_code == 200
    assert diagnosis in response.context["adminform"].form.fields["diagnosis"].queryset
