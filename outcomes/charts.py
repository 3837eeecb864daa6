"""Small server-rendered SVG charts for the admin: readable without JavaScript.

Each chart is inline SVG with role="img", a <title> and a <desc> that spells out every
value (so a screen reader gets the numbers, not a picture), axis labels, value labels
on the points, gaps for missing weeks and "No data yet" when there is nothing to draw.
Every piece of text goes through `format_html`, so labels and titles are escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Required, TypedDict, Unpack

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

Point = tuple[str, float | Decimal | None]

WIDTH, HEIGHT = 600, 248
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 44, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_LABELS = 12  # beyond this many weeks, label every k-th point so labels don't collide
NO_DATA = "No data yet"
COLOR = "#417690"  # the admin's own blue; text and axes use currentColor (dark mode)


class Frame(TypedDict, total=False):
    """What both kinds of chart take: the values and how the frame around them reads."""

    title: Required[str]
    points: Required[Sequence[Point]]  # (x label, value or None), oldest first
    y_max: Required[float]  # the top of the scale; values above it are drawn at the top
    y_label: Required[str]
    band_lines: Iterable[float] | None  # dashed lines across the plot at these values
    y_ticks: Iterable[float] | None  # 0, half and the top when not given
    value_suffix: str  # after every value written out, e.g. "%"
    x_label: str  # "Week" when not given
    chart_id: str | None  # the SVG ids' prefix; the title's slug when not given


def fmt(value: float, suffix: str = "") -> str:
    """4.0 -> "4", 4.5 -> "4.5", 4.56 -> "4.6": one decimal at most."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}{suffix}"


def line_chart(*, join_gaps: bool = False, **frame: Unpack[Frame]) -> SafeString:
    """A line per run of consecutive values: a missing value (None) breaks the line,
    unless `join_gaps` (for measures taken every few weeks, where a week without an
    answer is not a gap in care)."""
    return _Chart(frame).render(lambda chart: [*_lines(chart, join_gaps), *_dots(chart)])


def bar_chart(**frame: Unpack[Frame]) -> SafeString:
    """One bar per point; a missing value (None) leaves its slot empty."""
    return _Chart(frame).render(_bars)


def _lines(chart: _Chart, join_gaps: bool) -> list[SafeString]:
    marks = []
    run: list[tuple[float, float]] = []
    points = chart.points
    for i, (_label, value) in enumerate([*points, ("", None)]):  # the sentinel ends the last run
        if value is not None:
            run.append((chart.x(i), chart.y(value)))
            continue
        if join_gaps and i < len(points):
            continue
        if len(run) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            marks.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                    coords,
                    COLOR,
                )
            )
        run = []
    return marks


def _dots(chart: _Chart) -> list[SafeString]:
    return chart.point_marks(
        lambda x, y, label, text: format_html(
            '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}: {}</title></circle>',
            x,
            y,
            COLOR,
            label,
            text,
        )
    )


def _bars(chart: _Chart) -> list[SafeString]:
    bar_w = PLOT_W / len(chart.points) * 0.6
    return chart.point_marks(
        lambda x, y, label, text: format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
            round(x - bar_w / 2, 1),
            y,
            round(bar_w, 1),
            round(TOP + PLOT_H - y, 1),
            COLOR,
            label,
            text,
        )
    )


def _finite(value: float | Decimal | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# A mark drawn at a value: (x, y, its x label, the value written out) -> SVG.
Mark = Callable[[float, float, str, str], SafeString]


class _Chart:
    """The frame shared by both kinds: scales, axes, labels and the accessible text."""

    def __init__(self, frame: Frame) -> None:
        if frame["y_max"] <= 0:
            raise ValueError("y_max must be positive.")
        self.title, self.y_max = frame["title"], float(frame["y_max"])
        # Decimal scores become floats here, so the scaling below is plain arithmetic; a
        # value that is not a number (NaN, infinity) is drawn as missing, not as garbage.
        self.points = [(str(label), _finite(v)) for label, v in frame["points"]]
        self.y_label = frame["y_label"]
        self.suffix = frame.get("value_suffix", "")
        self.x_label = frame.get("x_label", "Week")
        self.band_lines = frame.get("band_lines") or ()
        self.y_ticks = frame.get("y_ticks")
        self.id = slugify(frame.get("chart_id") or self.title) or "chart"
        self.empty = all(value is None for _, value in self.points)
        self.step = max(1, math.ceil(len(self.points) / MAX_LABELS))

    def x(self, i: int) -> float:
        return round(LEFT + PLOT_W * (i + 0.5) / len(self.points), 1)

    def y(self, value: float) -> float:
        return round(TOP + PLOT_H * (1 - min(max(value, 0.0), self.y_max) / self.y_max), 1)

    def labelled(self, i: int) -> bool:
        return (len(self.points) - 1 - i) % self.step == 0  # the latest week is always labelled

    def value_label(self, x: float, y: float, value: float) -> SafeString:
        return format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>',
            x,
            round(y - 7, 1),
            fmt(value, self.suffix),
        )

    def point_marks(self, mark: Mark) -> list[SafeString]:
        """`mark` at every known value, with the value written above it where labelled."""
        marks = []
        for i, (label, value) in enumerate(self.points):
            if value is None:
                continue
            x, y = self.x(i), self.y(value)
            marks.append(mark(x, y, label, fmt(value, self.suffix)))
            if self.labelled(i):
                marks.append(self.value_label(x, y, value))
        return marks

    def description(self) -> str:
        if self.empty:
            return f"{NO_DATA}."
        values = "; ".join(
            f"{label}: {'no data' if value is None else fmt(value, self.suffix)}"
            for label, value in self.points
        )
        return f"{self.y_label} by {self.x_label.lower()}. {values}."

    def render(self, marks: Callable[[_Chart], Iterable[SafeString]]) -> SafeString:
        """The whole SVG; `marks` draws the values, unless there are none to draw."""
        head = format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" role="img" '
            'viewBox="0 0 {} {}" width="100%" style="max-width:{}px" font-size="11" '
            'aria-labelledby="{}-title {}-desc">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
            '<text x="{}" y="20" font-size="13" font-weight="bold" fill="currentColor">{}</text>',
            WIDTH,
            HEIGHT,
            WIDTH,
            self.id,
            self.id,
            self.id,
            self.title,
            self.id,
            self.description(),
            LEFT,
            self.title,
        )
        if self.empty:
            body = [
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>',
                    LEFT + PLOT_W / 2,
                    TOP + PLOT_H / 2,
                    NO_DATA,
                )
            ]
        else:
            body = [*self._axes(), *marks(self)]
        # Every part is built by format_html, which escapes its text.
        return format_html("{}{}</svg>", head, format_html_join("", "{}", ((p,) for p in body)))

    def _axes(self) -> list[SafeString]:
        parts = []
        for value in self.band_lines:
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" '
                    'stroke-opacity="0.25" stroke-dasharray="4 4"/>',
                    LEFT,
                    LEFT + PLOT_W,
                    self.y(value),
                    self.y(value),
                )
            )
        ticks = (0, self.y_max / 2, self.y_max) if self.y_ticks is None else self.y_ticks
        for value in ticks:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text>',
                    LEFT - 6,
                    round(self.y(value) + 4, 1),
                    fmt(value, self.suffix),
                )
            )
        bottom = TOP + PLOT_H
        parts.append(
            format_html(
                '<path d="M{} {} V{} H{}" fill="none" stroke="currentColor" stroke-opacity="0.6"/>',
                LEFT,
                TOP,
                bottom,
                LEFT + PLOT_W,
            )
        )
        for i, (label, _) in enumerate(self.points):
            if self.labelled(i):
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>',
                        self.x(i),
                        bottom + 16,
                        label,
                    )
                )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>'
                '<text transform="rotate(-90)" x="{}" y="14" text-anchor="middle" '
                'fill="currentColor">{}</text>',
                LEFT + PLOT_W / 2,
                HEIGHT - 6,
                self.x_label,
                -(TOP + PLOT_H / 2),
                self.y_label,
            )
        )
        return parts
