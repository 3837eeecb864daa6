from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.forms import STORABLE_JSON_OVERRIDES
from patients.models import Diagnosis, Patient
from practice.admin_base import ClinicScopedAdmin, ServiceForm, given_id, service_action
from practice.admin_returns import ReturnToPatientMixin
from practice.tenancy import staff_of

from . import (
    admin_patient,  # noqa: F401  (registers the patient page's program and session lists)
    services,
)
from .admin_media import ExerciseMediaInline
from .admin_phase import AdvancePhaseMixin
from .admin_stops import PrescriptionPageMixin, StopColumnsMixin
from .admin_tools import PrescriptionButtonsMixin
from .library import template_warnings
from .models import (
    Contraindication,
    Dosage,
    Exercise,
    ExerciseSession,
    PainReadings,
    PrescribedExercise,
    Prescription,
    ProgramPhase,
    ProgramTemplate,
    SessionExercise,
    TemplateExercise,
    Weekday,
)
from .schedule import default_start_date, parse_reminder_times


class ContraindicationInline(admin.TabularInline):
    model = Contraindication
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "dosage_text", "contraindicated_for"]
    list_filter = ["category", "contraindications__cause"]
    search_fields = ["name", "summary", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContraindicationInline, ExerciseMediaInline]
    formfield_overrides = STORABLE_JSON_OVERRIDES

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("contraindications")

    @admin.display(description="dosage")
    def dosage_text(self, obj: Exercise) -> str:
        return obj.dosage_text

    @admin.display(description="contraindicated for")
    def contraindicated_for(self, obj: Exercise) -> str:
        return ", ".join(c.get_cause_display() for c in obj.contraindications.all()) or "-"


class TemplateExerciseInline(admin.TabularInline):
    model = TemplateExercise
    extra = 0
    autocomplete_fields = ["exercise"]


@admin.register(ProgramPhase)
class ProgramPhaseAdmin(admin.ModelAdmin):
    list_display = ["template", "number", "name", "weeks"]
    list_filter = ["template"]
    inlines = [TemplateExerciseInline]


class ProgramPhaseInline(admin.TabularInline):
    model = ProgramPhase
    extra = 0
    show_change_link = True


@admin.register(ProgramTemplate)
class ProgramTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgramPhaseInline]


class ScheduleFieldsMixin(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Weekday.values),
    )
    reminder_times = forms.CharField(
        initial="08:00, 18:00",
        help_text="Local times in the patient's time zone, 24-hour, separated by commas.",
    )

    def clean_reminder_times(self):
        raw = self.cleaned_data["reminder_times"]
        try:
            return parse_reminder_times(t.strip() for t in raw.split(",") if t.strip())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class DiagnosisChoiceField(forms.ModelChoiceField):
    """A diagnosis named with its patient: the list may hold every patient's."""

    def label_from_instance(self, obj: Diagnosis) -> str:
        return f"{obj.patient.full_name}: {obj}"


class PrescribeForm(ScheduleFieldsMixin, ServiceForm):
    """The prescribe flow: a first submit shows any contraindication warnings; the
    program is written once the therapist records why they prescribe it anyway."""

    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when an exercise is contraindicated for the diagnosed cause.",
    )

    class Meta:
        model = Prescription
        fields = ["patient", "diagnosis", "template", "start_date", "notes"]
        field_classes = {"diagnosis": DiagnosisChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        template, diagnosis = self.fields["template"], self.fields["diagnosis"]
        if not isinstance(template, forms.ModelChoiceField) or not isinstance(
            diagnosis, forms.ModelChoiceField
        ):
            raise TypeError("The template and diagnosis of a prescription are choices of rows.")
        template.required = True
        template.queryset = ProgramTemplate.objects.filter(is_active=True)
        # Left blank, the service starts the program today on the patient's calendar.
        self.fields["start_date"].required = False
        self.fields["start_date"].help_text = "Blank: today in the patient's time zone."
        patient_id = given_id(self.data.get("patient") or self.initial.get("patient"))
        diagnoses = Diagnosis.objects.for_user(self.request.user).select_related("patient")
        if patient_id is not None:
            diagnoses = diagnoses.filter(patient_id=patient_id)
            latest = diagnoses.first()
            if latest is not None:
                template.help_text = template_warnings(latest)
            patient = Patient.objects.for_user(self.request.user).filter(pk=patient_id).first()
            if patient is not None:
                self.initial.setdefault("start_date", default_start_date(patient))
        diagnosis.queryset = diagnoses

    def perform(self, data):
        staff = self.staff
        if staff is None:
            raise ValidationError("Only clinic staff prescribe programs.")
        return services.program_prescribe(
            patient=data["patient"],
            diagnosis=data["diagnosis"],
            template=data["template"],
            prescribed_by=staff,
            start_date=data["start_date"],
            weekdays=data["weekdays"],
            reminder_times=data["reminder_times"],
            override_reason=data["override_reason"],
            notes=data["notes"],
        )


class PrescriptionChangeForm(ScheduleFieldsMixin, ServiceForm):
    class Meta:
        model = Prescription
        fields = ["notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekdays
            self.initial["reminder_times"] = ", ".join(self.instance.reminder_times)

    def perform(self, data):
        prescription = self.instance
        prescription.notes = data["notes"]
        return services.prescription_set_schedule(
            prescription=prescription,
            weekdays=data["weekdays"],
            reminder_times=data["reminder_times"],
            actor=self.actor,
        )


class PrescribedExerciseForm(ServiceForm):
    """A dosage change is the service's write, run while the page validates: its refusal
    is the field's error, and the page is written whole or not at all."""

    class Meta:
        model = PrescribedExercise
        fields = list(Dosage.DOSAGE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Dosage.DOSAGE_FIELDS:
            # The service's bounds are the rule; the field only hints them to the browser.
            self.fields[name].validators = []
            self.fields[name].widget.attrs.update(min=1, max=1000)

    def perform(self, data):
        if not self.has_changed():
            return self.instance
        return services.prescribed_exercise_set_dosage(
            item=self.instance,
            dosage={name: data[name] for name in Dosage.DOSAGE_FIELDS},
            actor=self.actor,
        )


class PrescribedExerciseInline(StopColumnsMixin, admin.TabularInline):
    model = PrescribedExercise
    form = PrescribedExerciseForm
    fields = [
        "exercise",
        "phase",
        *Dosage.DOSAGE_FIELDS,
        "contraindication_override",
        "stop",
        "last_resumed",
    ]
    readonly_fields = ["exercise", "phase", "contraindication_override", "stop", "last_resumed"]
    extra = 0
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form_class = formset.form
        if issubclass(form_class, ServiceForm):
            form_class.request = request  # a fresh form class per call: safe to set
        return formset

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _status_action(status: str, verb: str):
    return service_action(
        name=f"set_{status}",
        description=f"{verb} selected programs",
        service=lambda p, actor: services.prescription_set_status(
            prescription=p, status=status, actor=actor
        ),
        done=lambda count: f"{count} program(s) updated.",
    )


@admin.register(Prescription)
class PrescriptionAdmin(
    ReturnToPatientMixin,
    PrescriptionButtonsMixin,
    AdvancePhaseMixin,
    PrescriptionPageMixin,
    ClinicScopedAdmin,
):
    audit_patient_path = "patient"
    list_display = ["patient", "name", "status", "phase", "start_date", "prescribed_by"]
    list_filter = ["status", "template"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn", "name"]
    list_select_related = ["patient", "prescribed_by__user"]
    actions = [
        _status_action(Prescription.Status.PAUSED, "Pause"),
        _status_action(Prescription.Status.ACTIVE, "Resume"),
        _status_action(Prescription.Status.COMPLETED, "Complete"),
        _status_action(Prescription.Status.STOPPED, "Stop"),
        # No bulk "next phase": a move is decided per patient, on the program's page, whose
        # confirmation posts the phase it showed so a resent form cannot skip one.
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PrescriptionChangeForm if obj else PrescribeForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        form = self.get_form(request, obj)
        fields = list(form.base_fields)
        if obj is None:
            return [(None, {"fields": fields})]
        return [
            (
                "Program",
                {
                    "fields": [
                        "patient",
                        "diagnosis",
                        "name",
                        "status",
                        "phase",
                        "start_date",
                        "prescribed_by",
                    ]
                },
            ),
            ("Schedule", {"fields": fields}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["patient", "diagnosis", "name", "status", "phase", "start_date", "prescribed_by"]

    def get_inlines(self, request, obj):
        return [PrescribedExerciseInline] if obj else []

    @admin.display(description="phase")
    def phase(self, obj: Prescription) -> str:
        return f"{obj.current_phase} of {len(obj.phase_names)}: {obj.current_phase_name}"

    def save_formset(self, request, form, formset, change):
        # Each exercise form's service wrote it while the page validated; here only what
        # the admin's change message reads from a saved formset.
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [
            (item_form.instance, item_form.changed_data)
            for item_form in formset.forms
            if item_form.has_changed()
        ]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and staff_of(request.user) is not None


# What a patient reported of each exercise in a session: shown, never edited.
_SESSION_EXERCISE_FIELDS = (
    "prescribed_exercise",
    "sets",
    "reps",
    "minutes",
    *PainReadings.PAIN_FIELDS,
)


class SessionExerciseInline(admin.TabularInline):
    model = SessionExercise
    fields = _SESSION_EXERCISE_FIELDS
    readonly_fields = _SESSION_EXERCISE_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExerciseSession)
class ExerciseSessionAdmin(ClinicScopedAdmin):
    """Sessions are the patient's own report from the app: therapists read them here."""

    audit_patient_path = "patient"
    list_display = [
        "patient",
        "performed_at",
        "back_pain_before",
        "back_pain_after",
        "leg_pain_before",
        "leg_pain_after",
        "pain_extent",
        "pain_response",
        "during_hold",
    ]
    list_filter = ["pain_extent", "pain_response", "during_hold"]
    list_select_related = ["patient"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    date_hierarchy = "performed_at"
    inlines = [SessionExerciseInline]
    readonly_fields = [
        "patient",
        "prescription",
        "client_id",
        "performed_at",
        *PainReadings.PAIN_FIELDS,
        "pain_extent_before",
        "pain_extent",
        "extent_change",
        "pain_response",
        "during_hold",
        "notes",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
