"""The patient admin page's "Progress" section (patients.admin_sections): weekly leg and
back pain, ODI, RMDQ and adherence as inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from patients.admin_sections import Panel, register_panel
from patients.models import Patient

from .charts import Point, bar_chart, line_chart
from .models import Code
from .scoring import ODI_BAND_LIMITS, RMDQ_ITEMS
from .selectors import patient_progress

PROGRESS_WEEKS = 12
ODI_BANDS = tuple(limit for limit, _ in ODI_BAND_LIMITS)  # 20, 40, 60, 80


def progress_charts(patient: Patient, *, weeks: int = PROGRESS_WEEKS) -> str:
    """Leg and back pain after sessions, ODI, RMDQ and adherence for the last `weeks`
    weeks, as inline SVG. Leg and back pain apart: they are read apart (a back pain
    rising while the leg pain retreats is the centralization hoped for).

    `patient_progress` reads in a fixed number of queries, however long the record."""
    recent = patient_progress(patient=patient).weeks[-weeks:]
    labels = [f"{w.week_start:%b} {w.week_start.day}" for w in recent]

    def series(values: Sequence[float | Decimal | None]) -> list[Point]:
        return list(zip(labels, values, strict=True))

    charts = [
        line_chart(
            title="Leg pain after sessions",
            points=series([w.leg_pain_after_mean for w in recent]),
            y_max=10,
            y_label="Mean leg pain (0-10)",
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-leg-pain",
        ),
        line_chart(
            title="Back pain after sessions",
            points=series([w.back_pain_after_mean for w in recent]),
            y_max=10,
            y_label="Mean back pain (0-10)",
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-back-pain",
        ),
        line_chart(
            title="Oswestry Disability Index",
            points=series([w.scores.get(Code.ODI) for w in recent]),
            y_max=100,
            y_label="ODI (0-100)",
            band_lines=ODI_BANDS,
            y_ticks=(0, *ODI_BANDS, 100),
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-odi",
            join_gaps=True,  # answered every few weeks, not weekly
        ),
        line_chart(
            title="Roland-Morris Disability Questionnaire",
            points=series([w.scores.get(Code.RMDQ) for w in recent]),
            y_max=RMDQ_ITEMS,
            y_label=f"RMDQ (0-{RMDQ_ITEMS})",
            y_ticks=(0, 6, 12, 18, RMDQ_ITEMS),
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-rmdq",
            join_gaps=True,
        ),
        bar_chart(
            title="Adherence",
            points=series([w.adherence.percent for w in recent]),
            y_max=100,
            y_label="Scheduled days done",
            value_suffix="%",
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-adherence",
        ),
    ]
    return format_html(
        '<div class="progress-charts">{}</div>',
        format_html_join("", '<div class="progress-chart-cell">{}</div>', ((c,) for c in charts)),
    )


@admin.display(description="weekly trends")
def progress(patient: Patient) -> str:
    return progress_charts(patient)


register_panel(
    Panel(
        title="Progress",
        field=progress,
        description=f"The last {PROGRESS_WEEKS} weeks, week by week "
        "(Monday to Sunday, the patient's local time).",
        # The charts read the session log, which the front desk does not see.
        permission="programs.view_exercisesession",
    ),
    order=10,
)
