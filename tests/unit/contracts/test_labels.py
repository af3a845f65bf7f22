"""Every value of a shared vocabulary has its French label, in the one place they live."""

import pytest

from entraide.contracts import labels
from entraide.contracts.vocab import (
    AgeBand,
    ContactChannel,
    DayPart,
    ErasureReason,
    MatchOutcome,
    Need,
    SubjectKind,
    Urgency,
    Weekday,
    WithdrawalReason,
)


@pytest.mark.parametrize(
    ("vocabulary", "words"),
    [
        (Need, labels.NEEDS),
        (AgeBand, labels.AGE_BANDS),
        (Urgency, labels.URGENCY),
        (Weekday, labels.DAYS),
        (DayPart, labels.DAY_PARTS),
        (ContactChannel, labels.CONTACT_CHANNELS),
        (WithdrawalReason, labels.WITHDRAWAL_REASONS),
        (MatchOutcome, labels.MATCH_OUTCOMES),
        (SubjectKind, labels.SUBJECT_KINDS),
        (ErasureReason, labels.ERASURE_REASONS),
    ],
)
def test_every_value_has_a_label(vocabulary, words) -> None:
    assert set(words) == {value.value for value in vocabulary}
    assert all(word.strip() for word in words.values())


def test_slots_read_as_a_day_and_a_part() -> None:
    assert labels.SLOTS["mo-morning"] == "Lundi matin"
    assert len(labels.SLOTS) == 21


def test_a_label_inside_a_sentence_keeps_its_acronyms() -> None:
    assert labels.in_sentence("Pas d'accord du parent") == "pas d'accord du parent"
    assert labels.in_sentence("SMS") == "SMS"
    assert labels.in_sentence("AFEV et ses bénévoles") == "AFEV et ses bénévoles"
