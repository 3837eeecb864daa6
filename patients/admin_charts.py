"""The patient page's "Progress" section: weekly pain, ODI and adherence as inline SVG."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join

from outcomes.charts import bar_chart, line_chart
from outcomes.models import Code
from outcomes.scoring import ODI_BAND_LIMITS
from outcomes.selectors import patient_progress

from .models import Patient

PROGRESS_WEEKS = 12
ODI_BANDS = tuple(limit for limit, _ in ODI_BAND_LIMITS)  # 20, 40, 60, 80


def progress_charts(patient: Patient, *, weeks: int = PROGRESS_WEEKS) -> str:
    """Pain after sessions, ODI and adherence for the last `weeks` weeks, as inline SVG.

    `patient_progress` reads in a fixed number of queries, however long the record."""
    recent = patient_progress(patient=patient).weeks[-weeks:]
    labels = [f"{w.week_start:%b} {w.week_start.day}" for w in recent]

    def series(values):
        return list(zip(labels, values, strict=True))

    charts = [
        line_chart(
            title="Pain after sessions",
            points=series([w.pain_after_mean for w in recent]),
            y_max=10,
            y_label="Mean pain, worse of back and leg (0-10)",
            x_label="Week of",
            chart_id=f"progress-{patient.pk}-pain",
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
