"""Units by the CMS 8-minute rule and the AMA rule of eights."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from visits.units import TIMED_CODES, Procedure, Rule, units_for_minutes, visit_units


def units(rule: Rule, pays_packs: bool = False, **minutes: int) -> dict[str, int]:
    procedures = [Procedure(code.removeprefix("c"), m) for code, m in minutes.items()]
    result = visit_units(procedures=procedures, rule=rule, pays_packs=pays_packs)
    return {line.code: line.units for line in result.lines}


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
    ],
)
def test_the_cms_table_of_timed_minutes(minutes, expected):
    assert units_for_minutes(minutes) == expected
    assert units(Rule.CMS, c97110=minutes) == {"97110": expected}


def test_the_worked_example_is_three_units_under_cms_and_four_under_the_ama():
    cms = units(Rule.CMS, c97110=25, c97112=15, c97140=10)
    ama = units(Rule.AMA, c97110=25, c97112=15, c97140=10)

    assert cms == {"97110": 2, "97112": 1, "97140": 0}
    assert sum(cms.values()) == 3
    assert ama == {"97110": 2, "97112": 1, "97140": 1}
    assert sum(ama.values()) == 4


def test_seven_minutes_of_one_code_bill_nothing_under_either_rule():
    assert units(Rule.CMS, c97140=7) == {"97140": 0}
    assert units(Rule.AMA, c97140=7) == {"97140": 0}


def test_two_short_codes_together_bill_one_unit_for_the_longer_under_cms():
    # 7 + 6 minutes: 13 timed minutes are one unit, billed for the code done longer.
    assert units(Rule.CMS, c97110=6, c97140=7) == {"97110": 0, "97140": 1}
    assert units(Rule.AMA, c97110=6, c97140=7) == {"97110": 0, "97140": 0}


def test_a_left_over_unit_goes_to_the_largest_remainder_before_the_longest_code():
    # 33 + 12 = 45 minutes: 3 units; 97110 has 2 full, then 12 left beats 97110's 3.
    assert units(Rule.CMS, c97110=33, c97530=12) == {"97110": 2, "97530": 1}


def test_an_evaluation_is_one_unit_and_hot_packs_only_where_the_payer_pays_them():
    paid = visit_units(
        procedures=[Procedure("97162", 40), Procedure("97010", 10), Procedure("97110", 20)],
        rule=Rule.CMS,
        pays_packs=True,
    )
    bundled = visit_units(
        procedures=[Procedure("97162", 40), Procedure("97010", 10), Procedure("97110", 20)],
        rule=Rule.CMS,
        pays_packs=False,
    )
    assert {line.code: line.units for line in paid.lines} == {"97162": 1, "97010": 1, "97110": 1}
    assert (paid.timed_minutes, paid.total_minutes) == (20, 30)
    assert {line.code: line.units for line in bundled.lines}["97010"] == 0
    assert bundled.total_minutes == 20


@pytest.mark.parametrize(
    ("procedures", "message"),
    [
        ([Procedure("97110", 10), Procedure("97110", 5)], "List each code once"),
        ([Procedure("99213", 10)], "not a code this practice bills"),
        ([Procedure("97110", -1)], "between 0 and 480"),
        ([Procedure("97162", 40), Procedure("97164", 20)], "one evaluation a visit"),
        ([Procedure("97161", 30), Procedure("97163", 30)], "one evaluation a visit"),
        ([Procedure("97162", 0)], "97162: give the minutes"),
    ],
)
def test_a_visit_that_cannot_be_billed_says_why(procedures, message):
    with pytest.raises(ValueError, match=message):
        visit_units(procedures=procedures, rule=Rule.CMS, pays_packs=False)


@given(
    st.dictionaries(
        st.sampled_from(sorted(TIMED_CODES)), st.integers(min_value=0, max_value=120), max_size=6
    )
)
def test_cms_units_follow_the_table_over_any_minutes(minutes):
    result = visit_units(
        procedures=[Procedure(code, m) for code, m in minutes.items()],
        rule=Rule.CMS,
        pays_packs=False,
    )
    total = sum(minutes.values())
    assert result.total == units_for_minutes(total)
    assert result.total == (0 if total < 8 else (total - 8) // 15 + 1)
    for line in result.lines:
        # Every full 15 minutes of a code is its unit; at most one more from what is left.
        assert line.minutes // 15 <= line.units <= line.minutes // 15 + 1
        assert line.units <= units_for_minutes(line.minutes) + 1


@given(st.integers(min_value=0, max_value=480))
def test_ama_units_are_the_same_table_code_by_code(minutes):
    assert units(Rule.AMA, c97112=minutes)["97112"] == units_for_minutes(minutes)
