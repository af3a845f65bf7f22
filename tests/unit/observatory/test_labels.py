"""Every value of a shared vocabulary the observatory counts by has its words: a value
without one showed as its raw code (« family » as a column of « Demandes par canal », of
the monthly report and of the CSV, once the family's own door opened)."""

from enum import StrEnum

import pytest

from entraide.contracts import vocab
from entraide.observatory.domain.indicators import Dimension
from entraide.observatory.entrypoints.http import labels

COUNTED_BY = [
    (vocab.RequestChannel, Dimension.CHANNEL),
    (vocab.Need, Dimension.NEED),
    (vocab.Urgency, Dimension.URGENCY),
    (vocab.SituationSign, Dimension.SITUATION),
    (vocab.MatchOutcome, Dimension.OUTCOME),
    (vocab.ErasureReason, Dimension.REASON),
]


@pytest.mark.parametrize(("vocabulary", "dimension"), COUNTED_BY)
def test_every_value_of_the_vocabulary_has_words(
    vocabulary: type[StrEnum], dimension: Dimension
) -> None:
    missing = [v.value for v in vocabulary if v.value not in labels.VALUES[dimension]]
    assert missing == [], f"{vocabulary.__name__} values with no words: {missing}"


def test_the_familys_own_door_reads_as_words() -> None:
    assert labels.value(Dimension.CHANNEL, "family") == "Famille elle-même (en ligne)"
