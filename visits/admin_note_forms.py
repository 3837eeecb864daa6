"""The visit note's form in the admin, its sections, and its procedures inline.

Both write through visits.services while the page validates: the note's sections with
`visit_note_update`, the procedures with `visit_note_set_procedures`, which computes
each line's units by the payer's rule. A signed note is shown read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from practice.admin_base import ServiceForm

from .admin_formsets import NOT_A_CLINICIAN, ServiceFormSet, with_request
from .billing_models import Payer
from .clinical_reads import note_units
from .note_models import LEVELS, MYOTOME_MUSCLES, ProcedureLine, VisitNote
from .services import NOTE_FIELDS, visit_note_set_procedures, visit_note_update
from .units import TIMED_CODES, UNTIMED_CODES, Procedure

RULE_NAMES: dict[str, str] = {
    str(value): str(label) for value, label in Payer._meta.get_field("rule").choices or []
}

CODE_CHOICES: list[Any] = [
    ("", "---------"),
    ("Timed (15-minute units)", [(c, f"{c} {name}") for c, name in TIMED_CODES.items()]),
    ("Untimed (one unit)", [(c, f"{c} {name}") for c, name in UNTIMED_CODES.items()]),
]

_STRENGTH = [("", "-"), *((str(grade), str(grade)) for grade in range(6))]

_TEXT = {"rows": 2, "cols": 60}
_LONG_TEXT = {"rows": 5, "cols": 80}

# The note as a therapist writes it during a visit: subjective, objective (the sciatica
# examination, side by side where a finding has two sides), assessment, plan.
VISIT_FIELDS: list[Any] = ["appointment_link", "therapist", "kind", "visit_on", "signature"]
NOTE_FIELDSETS: list[tuple[str, dict[str, Any]]] = [
    ("Visit", {"fields": VISIT_FIELDS}),
    (
        "Subjective",
        {
            "fields": [
                ("back_pain", "leg_pain"),
                "pain_reach",
                "eases",
                "aggravates",
                "function",
            ]
        },
    ),
    (
        "Objective: neural tension",
        {
            "fields": [
                ("slr_left_degrees", "slr_left_reproduces"),
                ("slr_right_degrees", "slr_right_reproduces"),
                ("slump_left_reproduces", "slump_right_reproduces"),
            ]
        },
    ),
    (
        "Objective: lumbar movement",
        {
            "fields": [
                ("flexion_loss", "extension_loss"),
                ("side_bending_left_loss", "side_bending_right_loss"),
                ("repeated_movement_response", "directional_preference"),
            ]
        },
    ),
    (
        "Objective: myotomes (Oxford scale 0-5)",
        {
            "fields": [(f"myotome_{level}_left", f"myotome_{level}_right") for level in LEVELS],
            "classes": ["visit-grid"],
        },
    ),
    (
        "Objective: reflexes and dermatomes",
        {
            "fields": [
                ("reflex_patellar_left", "reflex_patellar_right"),
                ("reflex_achilles_left", "reflex_achilles_right"),
                *((f"dermatome_{level}_left", f"dermatome_{level}_right") for level in LEVELS),
            ],
            "classes": ["visit-grid"],
        },
    ),
    ("Objective: gait", {"fields": ["gait"]}),
    ("Assessment", {"fields": ["assessment"]}),
    ("Plan", {"fields": ["plan"]}),
    ("Procedures and units", {"fields": ["units_billed"]}),
]


class TestedSelect(forms.NullBooleanSelect):
    """A yes/no finding that may not have been tested at this visit."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "Not tested"), ("true", "Yes"), ("false", "No")]


def _strength_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=_STRENGTH, coerce=int, empty_value=None, required=False
    )


class VisitNoteForm(ServiceForm):
    """The sections of a draft note, written by `visit_note_update` as the page
    validates."""

    class Meta:
        model = VisitNote
        fields = list(NOTE_FIELDS)
        widgets = {
            **{name: forms.Textarea(attrs=_TEXT) for name in ("eases", "aggravates", "gait")},
            **{
                name: forms.Textarea(attrs=_LONG_TEXT)
                for name in ("function", "assessment", "plan")
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rows of two: the left side names the finding, the right one says "right".
        # A signed note's page shows its values read-only, with none of these fields.
        labels = {
            "slump_left_reproduces": "slump test reproduces leg pain, left",
            "slr_left_reproduces": "reproduces leg pain",
            "slr_right_reproduces": "reproduces leg pain",
            **dict.fromkeys(
                (
                    "reflex_patellar_right",
                    "reflex_achilles_right",
                    "side_bending_right_loss",
                    "slump_right_reproduces",
                    *(f"dermatome_{level}_right" for level in LEVELS),
                ),
                "right",
            ),
        }
        for level in LEVELS:
            muscle = f"{level.upper()} {MYOTOME_MUSCLES[level]}"
            for side, label in (("left", f"{muscle}, left"), ("right", "right")):
                if f"myotome_{level}_{side}" in self.fields:
                    self.fields[f"myotome_{level}_{side}"] = _strength_field(label)
        for name, field in self.fields.items():
            field.label = labels.get(name, field.label)
            if name.endswith("_reproduces"):
                field.widget = TestedSelect()

    def perform(self, data: dict[str, Any]) -> VisitNote:
        return write_note(self, self.staff, data)


class ProcedureLineForm(forms.ModelForm):
    code = forms.ChoiceField(label="CPT code", choices=CODE_CHOICES)

    class Meta:
        model = ProcedureLine
        fields = ["code", "minutes"]
        widgets = {"minutes": forms.NumberInput(attrs={"min": 0, "max": 480, "style": "width:5em"})}

    def _get_validation_exclusions(self) -> set[str]:
        # A code once per note is the service's check, over the list as it will be
        # (a line removed and added back under the same code is not a duplicate).
        # The method is Django's, private, so the stubs do not name it.
        return {*super()._get_validation_exclusions(), "note"}  # type: ignore[misc]


class ProcedureFormSet(ServiceFormSet):
    def perform(self, staff: Any, rows: list[dict[str, Any]]) -> None:
        procedures = [Procedure(row["code"], row["minutes"]) for row in rows]
        visit_note_set_procedures(note=self.instance, staff_member=staff, procedures=procedures)


def _may_edit(request: HttpRequest, note: VisitNote | None) -> bool:
    return (
        note is not None and not note.is_signed and request.user.has_perm("visits.change_visitnote")
    )


class ProcedureInline(admin.TabularInline):
    """The visit's CPT codes with their minutes; the units, and why, are computed when
    saved (visits.units) and shown beside each line."""

    model = ProcedureLine
    form = ProcedureLineForm
    formset = ProcedureFormSet
    fields = ["code", "minutes", "units", "rule_name", "reason"]
    readonly_fields = ["units", "rule_name", "reason"]
    verbose_name = "procedure"
    verbose_name_plural = "procedures (CPT codes and minutes)"

    @admin.display(description="rule")
    def rule_name(self, obj: ProcedureLine) -> str:
        return RULE_NAMES.get(obj.rule, obj.rule) if obj.pk else "-"

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        if not _may_edit(request, obj):
            return 0
        return 1 if obj.procedures.exists() else 3

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return with_request(super().get_formset(request, obj, **kwargs), request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("visits.view_visitnote")

    # A draft's list is replaced whole (its history keeps what was removed); a signed
    # note's is locked with it.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit(request, obj)


def write_note(form: VisitNoteForm, staff: Any, data: dict[str, Any]) -> VisitNote:
    """The changed sections of the page, through `visit_note_update`."""
    note: VisitNote = form.instance
    if staff is None:
        raise ValidationError(NOT_A_CLINICIAN)
    changed = {name: data[name] for name in form.changed_data if name in NOTE_FIELDS}
    if not changed:
        return note
    try:
        return visit_note_update(note=note, staff_member=staff, fields=changed)
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from None


def units_text(note: VisitNote) -> str:
    """The visit's units in all, by which rule, from its procedure lines."""
    if not note.procedures.all():
        return "No procedures recorded yet."
    units = note_units(note=note)
    unit_word = "unit" if units.total == 1 else "units"
    rule = RULE_NAMES.get(units.rule.value, units.rule.value)
    return f"{units.total} {unit_word} in all by the {rule}, {units.timed_minutes} timed minutes."
