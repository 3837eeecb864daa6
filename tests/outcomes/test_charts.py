"""Server-rendered SVG charts, and the Progress section of the patient page."""

from __future__ import annotations

import datetime
import re
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outcomes import charts
from outcomes.charts import bar_chart, line_chart
from outcomes.models import Code, QuestionnaireResponse
from programs.services import ExerciseDone, session_log
from tests.factories import make_diagnosis, make_patient, make_prescription

SVG = "{http://www.w3.org/2000/svg}"


def parse(html) -> ET.Element:
    """Well-formed XML or it raises: inline SVG must be valid markup."""
    root = ET.fromstring(str(html))  # noqa: S314 (the charts drawn here, not outside input)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    assert child(root, "title").get("id") == title_id
    assert child(root, "desc").get("id") == desc_id
    return root


def child(root: ET.Element, tag: str) -> ET.Element:
    found = root.find(f"{SVG}{tag}")
    assert found is not None, f"no <{tag}>"
    return found


def texts(root: ET.Element) -> list[str | None]:
    return [el.text for el in root.iter(f"{SVG}text")]


def polylines(root: ET.Element) -> list[list[str]]:
    return [el.attrib["points"].split() for el in root.iter(f"{SVG}polyline")]


@pytest.mark.parametrize("points", [[], [("W1", None), ("W2", None)]])
def test_an_empty_series_says_no_data_yet(points):
    root = parse(line_chart(title="Pain", points=points, y_max=10, y_label="Pain (0-10)"))
    assert "No data yet" in texts(root)
    assert root.find(f"{SVG}desc").text == "No data yet."
    assert not list(root.iter(f"{SVG}circle"))
    assert not polylines(root)


def test_a_single_point_is_a_dot_with_its_value():
    root = parse(line_chart(title="Pain", points=[("W07", 4.5)], y_max=10, y_label="Pain"))
    (dot,) = root.iter(f"{SVG}circle")
    assert dot.find(f"{SVG}title").text == "W07: 4.5"
    assert not polylines(root)
    assert "4.5" in texts(root)
    assert "W07" in texts(root)
    assert "Pain by week. W07: 4.5." in root.find(f"{SVG}desc").text


def test_many_points_make_one_polyline_with_a_point_each():
    points = [(f"W{i}", float(i % 10)) for i in range(1, 9)]
    root = parse(line_chart(title="Pain", points=points, y_max=10, y_label="Pain"))
    assert [len(line) for line in polylines(root)] == [8]
    assert len(list(root.iter(f"{SVG}circle"))) == 8
    # x grows left to right; a higher value is drawn higher (smaller y)
    coords = [tuple(map(float, xy.split(","))) for xy in polylines(root)[0]]
    assert [x for x, _ in coords] == sorted(x for x, _ in coords)
    assert coords[1][1] < coords[0][1]


def test_a_missing_week_is_a_gap_in_the_line():
    points = [("W1", 5), ("W2", 4), ("W3", None), ("W4", 3), ("W5", 2), ("W6", 2), ("W7", None)]
    root = parse(line_chart(title="Pain", points=points, y_max=10, y_label="Pain"))
    assert [len(line) for line in polylines(root)] == [2, 3]
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    assert "W3: no data" in root.find(f"{SVG}desc").text


def test_an_isolated_point_between_gaps_is_still_drawn():
    points = [("W1", 5), ("W2", None), ("W3", 3), ("W4", None), ("W5", 2), ("W6", 1)]
    root = parse(line_chart(title="Pain", points=points, y_max=10, y_label="Pain"))
    assert [len(line) for line in polylines(root)] == [2]
    assert len(list(root.iter(f"{SVG}circle"))) == 4


def test_join_gaps_connects_sparse_measures_and_takes_decimals():
    points = [("W1", Decimal("52.0")), ("W2", None), ("W3", None), ("W4", Decimal("44.4"))]
    root = parse(line_chart(title="ODI", points=points, y_max=100, y_label="ODI", join_gaps=True))
    assert [len(line) for line in polylines(root)] == [2]
    assert {"52", "44.4"} <= set(texts(root))


def test_band_lines_are_drawn_and_values_are_clamped_to_the_axis():
    root = parse(
        line_chart(
            title="ODI",
            points=[("W1", 130), ("W2", -5)],
            y_max=100,
            y_label="ODI",
            band_lines=(20, 40, 60, 80),
            y_ticks=(0, 20, 40, 60, 80, 100),
        )
    )
    assert len(list(root.iter(f"{SVG}line"))) == 4
    assert {"0", "20", "40", "60", "80", "100"} <= set(texts(root))
    ys = [float(xy.split(",")[1]) for xy in polylines(root)[0]]
    top, bottom = min(ys), max(ys)
    assert (top, bottom) == (charts.TOP, charts.TOP + charts.PLOT_H)


def test_long_series_thin_their_labels_but_keep_every_point():
    points = [(f"W{i:02d}", 5.0) for i in range(40)]
    root = parse(line_chart(title="Pain", points=points, y_max=10, y_label="Pain"))
    assert [len(line) for line in polylines(root)] == [40]
    week_labels = [t for t in texts(root) if t.startswith("W") and t != "Week"]
    assert 1 < len(week_labels) <= 12
    assert "W39" in week_labels  # the latest week is always labelled


def test_text_is_escaped():
    html = str(
        line_chart(
            title="<script>alert(1)</script>",
            points=[('<b>"W1"</b>', 3)],
            y_max=10,
            y_label="a & b",
        )
    )
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    root = parse(html)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert "a & b" in texts(root)


def test_bar_chart_leaves_missing_weeks_empty_and_labels_values():
    points = [("W1", 50), ("W2", None), ("W3", 0), ("W4", 100)]
    root = parse(
        bar_chart(title="Adherence", points=points, y_max=100, y_label="%", value_suffix="%")
    )
    bars = list(root.iter(f"{SVG}rect"))
    assert [bar.find(f"{SVG}title").text for bar in bars] == ["W1: 50%", "W3: 0%", "W4: 100%"]
    assert float(bars[2].get("height")) > float(bars[0].get("height")) > 0
    assert float(bars[1].get("height")) == 0
    assert {"50%", "0%", "100%"} <= set(texts(root))

    empty = parse(bar_chart(title="Adherence", points=[], y_max=100, y_label="%"))
    assert "No data yet" in texts(empty)


def test_y_max_must_be_positive():
    with pytest.raises(ValueError, match="y_max must be positive"):
        line_chart(title="x", points=[("W1", 1)], y_max=0, y_label="x")


# ------------------------------------------------------------ the patient page


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


# Started before the oldest session log_sessions writes (27 days back): a session before
# its program's start is refused.
STARTED = datetime.timedelta(days=30)


@pytest.fixture
def prescription(diagnosis, therapist):
    start = timezone.localdate() - STARTED
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


def log_sessions(patient, prescription, count: int, *, pain_after=3, leg_pain_after=None):
    """Sessions rating back pain (5 before, `pain_after` after) and, when given, leg pain
    (6 before, `leg_pain_after` after)."""
    exercise = prescription.exercises.first()
    now = timezone.now()
    leg = {} if leg_pain_after is None else {"leg_pain_before": 6, "leg_pain_after": leg_pain_after}
    for i in range(count):
        session_log(
            patient=patient,
            client_id=uuid.uuid4(),
            performed_at=now - datetime.timedelta(days=i % 28, minutes=i),
            back_pain_before=5,
            back_pain_after=pain_after,
            **leg,
            pain_extent="buttock",
            exercises=[ExerciseDone(prescribed_exercise_id=exercise.pk)],
        )


def charts_of(response) -> list[ET.Element]:
    """The Progress section's charts, each parsed (so each is well-formed SVG)."""
    html = response.text
    found = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    return [parse(svg) for svg in found if 'class="progress-chart"' in svg]


def page(client, patient):
    response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_the_patient_page_shows_leg_and_back_pain_odi_rmdq_and_adherence(
    therapist_client, patient, prescription
):
    log_sessions(patient, prescription, 3, pain_after=4, leg_pain_after=2)
    for code, score in ((Code.ODI, "42.0"), (Code.RMDQ, "13.0")):
        QuestionnaireResponse.objects.create(
            patient=patient,
            code=code,
            answers={},
            score=Decimal(score),
            band="severe" if code == Code.ODI else "",
            occasion="baseline",
            due_on=timezone.localdate(),
        )

    response = page(therapist_client, patient)

    assert "<svg" in response.text
    assert "Progress" in response.text
    leg, back, odi, rmdq, adherence = charts_of(response)
    assert leg.find(f"{SVG}title").text == "Leg pain after sessions"
    assert "2" in texts(leg)
    assert "Mean leg pain (0-10) by week of." in leg.find(f"{SVG}desc").text
    assert back.find(f"{SVG}title").text == "Back pain after sessions"
    assert "4" in texts(back)
    assert "2" not in texts(back)  # the leg's readings stay on the leg's chart
    assert rmdq.find(f"{SVG}title").text == "Roland-Morris Disability Questionnaire"
    assert "13" in texts(rmdq)
    assert {"0", "12", "24"} <= set(texts(rmdq))
    assert odi.find(f"{SVG}title").text == "Oswestry Disability Index"
    assert "42" in texts(odi)
    assert len(list(odi.iter(f"{SVG}line"))) == 4  # the 20/40/60/80 band lines
    assert adherence.find(f"{SVG}title").text == "Adherence"
    assert list(adherence.iter(f"{SVG}rect"))  # today is a scheduled day with a session


@pytest.mark.django_db
def test_a_patient_without_data_gets_no_data_yet(therapist_client, patient):
    found = charts_of(page(therapist_client, patient))
    assert len(found) == 5
    for chart in found:
        assert "No data yet" in texts(chart)


@pytest.mark.django_db
def test_the_front_desk_does_not_see_the_progress_section(client, front_desk, patient):
    client.force_login(front_desk.user)
    response = page(client, patient)
    assert 'class="progress-chart"' not in response.text


@pytest.mark.django_db
def test_the_page_query_count_does_not_grow_with_the_sessions(
    therapist_client, patient, prescription, clinic, therapist
):
    log_sessions(patient, prescription, 1)
    with CaptureQueriesContext(connection) as one:
        page(therapist_client, patient)

    busy = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Busy")
    busy_prescription = make_prescription(
        diagnosis=make_diagnosis(patient=busy, diagnosed_by=therapist),
        prescribed_by=therapist,
        start_date=timezone.localdate() - STARTED,
    )
    log_sessions(busy, busy_prescription, 20)
    with CaptureQueriesContext(connection) as twenty:
        response = page(therapist_client, busy)

    back = charts_of(response)[1]
    assert sum(len(line) for line in polylines(back)) >= 4  # 20 sessions over 4-5 weeks
    assert len(twenty) == len(one), [q["sql"] for q in twenty.captured_queries]
