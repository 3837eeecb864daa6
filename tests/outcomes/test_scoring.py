"""Scoring as published, the missing-item rules, and per-item checks of answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes import instruments
from outcomes.instruments import AnswersInvalidError
from outcomes.scoring import (
    OdiBand,
    ScoringError,
    StartBackRisk,
    score_nprs,
    score_odi,
    score_rmdq,
    score_startback,
)

# --- Oswestry Disability Index ---------------------------------------------------------


def test_odi_every_section_at_2_is_40_percent_moderate():
    result = score_odi([2] * 10)

    assert (result.total, result.answered) == (20, 10)
    assert result.percent == Decimal("40.0")
    assert result.score == result.percent
    assert result.band == OdiBand.MODERATE
    assert result.subscale is None


def test_odi_published_example_all_sections_16_of_50_is_32_percent():
    # Fairbank & Pynsent 2000: 16 (total scored) / 50 (total possible) x 100 = 32%.
    result = score_odi([3, 2, 2, 2, 2, 2, 1, 1, 1, 0])

    assert result.total == 16
    assert result.percent == Decimal("32.0")
    assert result.band == OdiBand.MODERATE


def test_odi_one_section_missed_divides_by_45():
    # Same paper: one section missed, 16 / 45 x 100 = 35.56 (printed truncated as 35.5%).
    result = score_odi([3, 2, 2, 2, 2, 2, 1, None, 1, 1])

    assert (result.total, result.answered) == (16, 9)
    assert result.percent == Decimal("35.6")  # rounded half-up to one decimal
    assert result.band == OdiBand.MODERATE


def test_odi_two_sections_missed_divides_by_40():
    result = score_odi([4, 4, 4, 4, None, 4, 4, None, 4, 4])

    assert (result.total, result.answered) == (32, 8)
    assert result.percent == Decimal("80.0")
    assert result.band == OdiBand.CRIPPLED


def test_odi_three_sections_missed_is_not_scored():
    with pytest.raises(ScoringError, match="3 of 10 sections are unanswered"):
        score_odi([2, 2, 2, None, 2, None, 2, None, 2, 2])


@pytest.mark.parametrize(
    ("sections", "percent", "band"),
    [
        ([0] * 10, "0.0", OdiBand.MINIMAL),
        ([1] * 10, "20.0", OdiBand.MINIMAL),
        ([1] * 9 + [2], "22.0", OdiBand.MODERATE),
        ([3] * 10, "60.0", OdiBand.SEVERE),
        ([3] * 9 + [4], "62.0", OdiBand.CRIPPLED),
        ([4] * 10, "80.0", OdiBand.CRIPPLED),
        ([4] * 9 + [5], "82.0", OdiBand.BED_BOUND),
        ([5] * 10, "100.0", OdiBand.BED_BOUND),
        # With missing sections the index need not be whole: upper limits are inclusive.
        ([1] * 9 + [None], "20.0", OdiBand.MINIMAL),  # 9/45
        ([1] * 8 + [2, None], "22.2", OdiBand.MODERATE),  # 10/45
        ([1] * 8 + [None, None], "20.0", OdiBand.MINIMAL),  # 8/40
        ([1] * 7 + [2, None, None], "22.5", OdiBand.MODERATE),  # 9/40
        ([4] * 8 + [5, None], "82.2", OdiBand.BED_BOUND),  # 37/45
    ],
)
def test_odi_bands(sections, percent, band):
    result = score_odi(sections)

    assert result.percent == Decimal(percent)
    assert result.band == band


@pytest.mark.parametrize("bad", [6, -1, True, "2", 2.0])
def test_odi_values_are_whole_numbers_0_to_5(bad):
    with pytest.raises(ScoringError, match="Section 3 must be a whole number from 0 to 5"):
        score_odi([1, 1, bad, 1, 1, 1, 1, 1, 1, 1])


def test_odi_needs_ten_sections():
    with pytest.raises(ScoringError, match="has 10 items; got 9"):
        score_odi([1] * 9)


@given(st.lists(st.integers(0, 5), min_size=10, max_size=10))
def test_a_complete_odi_is_twice_its_total(sections):
    result = score_odi(sections)

    assert result.percent == Decimal(2 * sum(sections))


# --- Numeric Pain Rating Scale ---------------------------------------------------------


@pytest.mark.parametrize("pain", [0, 4, 10])
def test_nprs_is_the_rating(pain):
    result = score_nprs(pain)

    assert result.score == Decimal(pain)
    assert (result.band, result.subscale) == ("", None)


@pytest.mark.parametrize("bad", [11, -1, True, 3.5])
def test_nprs_is_a_whole_number_0_to_10(bad):
    with pytest.raises(ScoringError, match="from 0 to 10"):
        score_nprs(bad)


def test_nprs_has_no_missing_item_rule():
    with pytest.raises(ScoringError, match="unanswered"):
        score_nprs(None)


# --- Roland-Morris Disability Questionnaire --------------------------------------------


def test_rmdq_counts_the_statements_that_apply():
    answers = [True] * 7 + [False] * 17

    result = score_rmdq(answers)

    assert (result.yes, result.answered, result.score) == (7, 24, Decimal("7.0"))
    assert not result.prorated


@pytest.mark.parametrize(("yes", "score"), [(0, "0.0"), (24, "24.0")])
def test_rmdq_ranges_from_0_to_24(yes, score):
    assert score_rmdq([True] * yes + [False] * (24 - yes)).score == Decimal(score)


def test_rmdq_prorates_one_missing_item():
    answers = [True] * 11 + [False] * 12 + [None]  # 11 yes of 23 answered

    result = score_rmdq(answers)

    assert result.score == Decimal("11.5")  # 11 x 24 / 23 = 11.478
    assert result.prorated


def test_rmdq_prorates_two_missing_items():
    answers = [None, True, None, *([True] * 10), *([False] * 11)]  # 11 yes of 22

    assert score_rmdq(answers).score == Decimal("12.0")  # 11 x 24 / 22


def test_rmdq_with_three_missing_items_is_not_scored():
    with pytest.raises(ScoringError, match="3 of 24 items are unanswered"):
        score_rmdq([None] * 3 + [True] * 21)


def test_rmdq_answers_are_yes_or_no():
    with pytest.raises(ScoringError, match="Item 2 must be yes"):
        score_rmdq([True, 1, *([False] * 22)])


# --- STarT Back Screening Tool ---------------------------------------------------------

NOT_AT_ALL, SLIGHTLY, MODERATELY, VERY_MUCH, EXTREMELY = range(5)


def test_startback_total_3_is_low_risk_even_with_subscale_3():
    result = score_startback([0, 0, 0, 0, 1, 1, 1, 0, NOT_AT_ALL])

    assert (result.total, result.subscale, result.risk) == (3, 3, StartBackRisk.LOW)
    assert result.score == Decimal(3)
    assert result.band == StartBackRisk.LOW


def test_startback_total_5_with_subscale_4_is_high_risk():
    result = score_startback([1, 0, 0, 0, 1, 1, 1, 0, EXTREMELY])

    assert (result.total, result.subscale, result.risk) == (5, 4, StartBackRisk.HIGH)


def test_startback_total_4_with_subscale_3_is_medium_risk():
    result = score_startback([1, 0, 0, 0, 1, 1, 0, 0, VERY_MUCH])

    assert (result.total, result.subscale, result.risk) == (4, 3, StartBackRisk.MEDIUM)


def test_startback_physical_items_do_not_count_in_the_subscale():
    result = score_startback([1, 1, 1, 1, 0, 0, 0, 0, NOT_AT_ALL])

    assert (result.total, result.subscale, result.risk) == (4, 0, StartBackRisk.MEDIUM)


@pytest.mark.parametrize(
    ("bother", "scored"),
    [(NOT_AT_ALL, 0), (SLIGHTLY, 0), (MODERATELY, 0), (VERY_MUCH, 1), (EXTREMELY, 1)],
)
def test_startback_bothersomeness_counts_only_very_much_and_extremely(bother, scored):
    result = score_startback([0] * 8 + [bother])

    assert (result.total, result.subscale) == (scored, scored)


def test_startback_everything_positive_is_9_and_5_high():
    result = score_startback([1] * 8 + [EXTREMELY])

    assert (result.total, result.subscale, result.risk) == (9, 5, StartBackRisk.HIGH)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([0, 0, None, 0, 0, 0, 0, 0, 0], "Item 3 is unanswered"),
        ([0, 2, 0, 0, 0, 0, 0, 0, 0], "Item 2 must be a whole number from 0 to 1"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 5], "Item 9 must be a whole number from 0 to 4"),
        ([0] * 8, "has 9 items; got 8"),
    ],
)
def test_startback_needs_every_item(items, message):
    with pytest.raises(ScoringError, match=message):
        score_startback(items)


# --- the instruments: answers by item key, checked item by item ------------------------


def _odi_answers(**overrides):
    answers = {item.key: 2 for item in instruments.ODI.items}
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not ...}


def test_every_instrument_has_its_published_shape():
    assert [len(i.items) for i in instruments.INSTRUMENTS.values()] == [10, 1, 24, 9]
    assert all(len(item.options) == 6 for item in instruments.ODI.items)
    assert [o.value for o in instruments.NPRS.items[0].options] == list(range(11))
    assert all(item.values == (1, 0) for item in instruments.RMDQ.items)
    assert instruments.STARTBACK.items[8].values == (0, 1, 2, 3, 4)
    assert [o.label for o in instruments.STARTBACK.items[8].options] == [
        "Not at all",
        "Slightly",
        "Moderately",
        "Very much",
        "Extremely",
    ]


def test_an_instrument_scores_answers_by_item_key():
    cleaned = instruments.ODI.clean(_odi_answers(sex_life=None, travelling=...))

    assert cleaned["sex_life"] is None
    assert cleaned["travelling"] is None
    assert instruments.ODI.score(cleaned).percent == Decimal("40.0")  # 16 / 40


def test_each_wrong_answer_gets_its_own_message():
    with pytest.raises(AnswersInvalidError) as caught:
        instruments.ODI.clean(_odi_answers(walking=6, sitting=True, colour=1))

    errors = caught.value.message_dict
    assert set(errors) == {"walking", "sitting", "colour"}
    assert errors["walking"] == ["Choose one of the options: a whole number from 0 to 5."]
    assert errors["colour"] == ["Not an item of the Oswestry Disability Index."]


def test_too_many_skipped_sections_are_named():
    with pytest.raises(AnswersInvalidError) as caught:
        instruments.ODI.clean(_odi_answers(lifting=None, walking=..., sitting=None))

    assert set(caught.value.message_dict) == {"lifting", "walking", "sitting"}
    assert "at most 2 of the 10 sections" in caught.value.message_dict["walking"][0]


def test_a_wrong_value_does_not_count_as_a_skip():
    with pytest.raises(AnswersInvalidError) as caught:
        instruments.ODI.clean(_odi_answers(lifting=None, walking=None, sitting=9))

    assert set(caught.value.message_dict) == {"sitting"}


def test_the_pain_rating_needs_an_answer():
    with pytest.raises(AnswersInvalidError) as caught:
        instruments.NPRS.clean({})

    assert caught.value.message_dict == {"pain": ["This item needs an answer."]}


def test_short_option_lists_are_spelled_out():
    with pytest.raises(AnswersInvalidError) as caught:
        instruments.NPRS.clean({"pain": 11})
    assert caught.value.message_dict["pain"] == [
        "Choose one of the options: a whole number from 0 to 10."
    ]

    with pytest.raises(AnswersInvalidError) as caught:
        instruments.RMDQ.clean({"1": 2})
    assert caught.value.message_dict["1"] == ["Choose one of: 1 (Yes), 0 (No)."]


def test_rmdq_and_startback_take_1_for_yes_or_agree():
    rmdq = instruments.RMDQ.clean({str(n): int(n <= 5) for n in range(1, 25)})
    startback = instruments.STARTBACK.clean({**{str(n): 1 for n in range(1, 9)}, "9": 3})

    assert instruments.RMDQ.score(rmdq).score == Decimal(5)
    assert instruments.STARTBACK.score(startback).risk == StartBackRisk.HIGH
