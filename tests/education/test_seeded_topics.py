"""The topics the data migration seeds, and the loader behind it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from education.models import Topic
from education.seed.loader import load_topics, unload_topics
from education.seed.topics import TOPICS
from patients.models import Cause, Chronicity, RedFlagScreening
from patients.services import EMERGENCY_GUIDANCE

pytestmark = pytest.mark.django_db

GENERAL = [
    "when-to-seek-emergency-care",
    "keep-moving",
    "positions-that-ease-sciatica",
    "exercises-as-directed",
    "stop-if-pain-increases",
    "who-treats-sciatica",
]


def _body(slug: str) -> str:
    return Topic.objects.get(slug=slug).body.lower()


def test_the_seeded_topics_are_there_after_migrate():
    seeded = {spec["slug"] for spec in TOPICS}
    assert set(Topic.objects.values_list("slug", flat=True)) == seeded
    assert not Topic.objects.filter(is_active=False).exists()
    for topic in Topic.objects.all():
        topic.full_clean()  # causes and phases hold known values
        assert len(topic.paragraphs) >= 2, topic.slug


def test_the_general_topics_fit_everyone_and_come_in_the_library_order():
    general = Topic.objects.filter(causes=[], phases=[]).order_by("order", "slug")
    assert list(general.values_list("slug", flat=True)) == GENERAL


def test_each_cause_and_each_phase_has_a_topic_of_its_own():
    causes = {cause for topic in Topic.objects.all() for cause in topic.causes}
    phases = {phase for topic in Topic.objects.all() for phase in topic.phases}
    assert causes == set(Cause.values) - {Cause.OTHER}
    assert phases == set(Chronicity.values)
    assert Topic.objects.get(slug="spinal-stenosis").causes == ["spinal_stenosis"]
    assert Topic.objects.get(slug="the-first-weeks").phases == ["acute"]


def test_the_topics_say_what_the_source_material_says():
    assert "a day or two" in _body("keep-moving")
    positions = _body("positions-that-ease-sciatica")
    assert "lumbar roll" in positions
    assert "15 minutes" in positions
    assert "stop" in _body("stop-if-pain-increases")
    assert "tell your therapist" in _body("stop-if-pain-increases")
    emergency = _body("when-to-seek-emergency-care")
    for sign in ("bladder", "saddle", "weakness", "foot drop", "both legs", "same day"):
        assert sign in emergency, sign
    who = _body("who-treats-sciatica")
    for profession in (
        "physical therapist",
        "physiatrist",
        "chiropractor",
        "osteopathic physician",
        "athletic trainer",
    ):
        assert profession in who, profession
    assert "flexion" in _body("spinal-stenosis")


def test_the_emergency_topic_gives_the_same_instruction_as_a_red_flag_report():
    """What the app tells a patient whose report raises a medical hold, the topic says too."""
    instruction = next(
        sentence for sentence in EMERGENCY_GUIDANCE.split(". ") if sentence.startswith("Go to")
    )
    assert instruction.lower() in _body("when-to-seek-emergency-care")


def test_the_emergency_topic_names_every_serious_pathology_flag():
    emergency = _body("when-to-seek-emergency-care")
    for words in (
        "cancer",
        "losing weight without trying",
        "fever or a recent infection",
        "fall or an accident",
        "steroids or medicines that weaken the immune system",
        "injected drugs",
        "over 50 and this back pain is new",
        "constant pain at night",
    ):
        assert words in emergency, words
    assert len(RedFlagScreening.SERIOUS_FLAGS) == 8  # one phrase above for each


def test_the_stop_topic_states_the_apps_stop_rules():
    stop = _body("stop-if-pain-increases")
    assert '"stop and contact your therapist"' in stop
    for rule in (
        "leg pain rises by 2 points or more",
        "spreads further down your leg",
        "back pain rises by 2 points or more while the pain is not moving out of your leg",
    ):
        assert rule in stop, rule


def test_loading_again_changes_nothing_but_restores_the_seeded_text():
    topic = Topic.objects.get(slug="keep-moving")
    topic.title = "Edited"
    topic.is_active = False
    topic.save()
    count = Topic.objects.count()

    load_topics(apps)

    assert Topic.objects.count() == count
    topic.refresh_from_db()
    assert topic.title == "Rest no more than a day or two, then keep moving"
    assert topic.is_active is True
    assert topic.body == "\n\n".join(next(t for t in TOPICS if t["slug"] == "keep-moving")["body"])


def test_unloading_removes_the_seeded_topics_only():
    Topic.objects.create(slug="clinic-own", title="Ours", summary="s", body="b")

    unload_topics(apps)

    assert list(Topic.objects.values_list("slug", flat=True)) == ["clinic-own"]
    load_topics(apps)
    assert Topic.objects.count() == len(TOPICS) + 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("causes", ["slipped_disc"], "Unknown causes: 'slipped_disc'. Choose from herniated_disc"),
        ("phases", ["acute", "acute"], "Each of the phases may appear only once."),
        ("phases", "acute", 'Give a list of phases, e.g. ["acute"].'),
        ("causes", [{"cause": "x"}], "Unknown causes: {'cause': 'x'}."),
    ],
)
def test_a_topic_refuses_causes_and_phases_it_cannot_match(field, value, message):
    topic = Topic(slug="t", title="t", summary="s", body="b", **{field: value})
    with pytest.raises(ValidationError) as refused:
        topic.full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_paragraphs_are_split_on_blank_lines_whatever_the_line_endings():
    topic = Topic(body="First line\r\nsame paragraph.\r\n\r\nSecond.\n\n\n\nThird.")
    assert topic.paragraphs == ["First line\nsame paragraph.", "Second.", "Third."]
