"""The words a patient reads beside a score: the NPRS bands at their edges, and each
ODI band and STarT Back group with words of its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from outcomes.history import score_meaning
from outcomes.models import Code
from outcomes.scoring import OdiBand, StartBackRisk


@pytest.mark.parametrize(
    ("score", "starts"),
    [
        (0, "No pain."),
        (1, "Mild pain"),
        (3, "Mild pain"),
        (4, "Moderate pain"),
        (6, "Moderate pain"),
        (7, "Severe pain"),
        (10, "Severe pain"),
    ],
)
def test_pain_scores_read_as_the_usual_bands_at_their_edges(score, starts):
    assert score_meaning(Code.NPRS, Decimal(score), "").startswith(starts)


def test_every_odi_band_and_start_back_group_has_words_of_its_own():
    meanings = [score_meaning(Code.ODI, Decimal(0), band) for band in OdiBand.values]
    meanings += [score_meaning(Code.STARTBACK, Decimal(0), g) for g in StartBackRisk.values]
    assert all(meanings)
    assert len(set(meanings)) == len(meanings)


def test_an_rmdq_score_says_how_many_of_the_24_activities():
    assert "7 of the 24" in score_meaning(Code.RMDQ, Decimal("7.0"), "")
