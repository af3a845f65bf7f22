"""Each hard rule, alone, stops a pair that would otherwise be proposed."""

from datetime import date

import pytest

from entraide.matching.domain.rules import Unfit, unfit, waitlist_reason
from tests.unit.matching.factories import NOW, PARIS, family, offer, volunteer

TODAY = NOW.date()


def test_a_fitting_pair_breaks_no_rule() -> None:
    assert unfit(family(), volunteer(), today=TODAY) is None
    kid = family(needs=frozenset({"accompagnement-scolaire"}))
    assert unfit(kid, offer(), today=TODAY) is None


@pytest.mark.parametrize(
    ("fam", "support", "reason"),
    [
        (family(consent=False), volunteer(), Unfit.NO_CONSENT),
        (family(), volunteer(active=False), Unfit.INACTIVE),
        (family(), volunteer(needs=frozenset({"ecoute"})), Unfit.NEED),
        (family(), volunteer(location=PARIS, departements=frozenset({"75"})), Unfit.DISTANCE),
        (family(), volunteer(load=2), Unfit.CAPACITY),
        (family(), volunteer(slots=frozenset({("mo", "morning")})), Unfit.SLOT),
        (family(), volunteer(honorability_valid_until=None), Unfit.HONORABILITY),
        (family(), volunteer(honorability_valid_until=date(2026, 11, 27)), Unfit.HONORABILITY),
        (
            family(needs=frozenset({"accompagnement-scolaire"}), age_bands=frozenset({"0-2"})),
            offer(),
            Unfit.AGE,
        ),
    ],
    ids=lambda v: v.value if isinstance(v, Unfit) else "",
)
def test_each_hard_rule_stops_the_pair(fam, support, reason) -> None:
    assert unfit(fam, support, today=TODAY) is reason


def test_a_declined_pair_is_never_proposed_again() -> None:
    assert unfit(family(), volunteer(), today=TODAY, declined=frozenset({"volunteer:vol-1"})) is (
        Unfit.DECLINED
    )
    assert (
        unfit(
            family(),
            volunteer(key="volunteer:vol-2"),
            today=TODAY,
            declined=frozenset({"volunteer:vol-1"}),
        )
        is None
    )


def test_group_offers_need_no_shared_slot_and_listening_works_at_a_distance() -> None:
    kid = family(needs=frozenset({"accompagnement-scolaire"}), slots=frozenset())
    assert unfit(kid, offer(), today=TODAY) is None
    far = volunteer(needs=frozenset({"ecoute"}), location=(47.6, -1.5))  # about 45 km north
    assert unfit(family(needs=frozenset({"ecoute"})), far, today=TODAY) is None
    assert unfit(family(), volunteer(location=(47.6, -1.5)), today=TODAY) is Unfit.DISTANCE


def test_a_place_unknown_on_either_side_falls_back_to_the_same_departement() -> None:
    assert unfit(family(location=None), volunteer(), today=TODAY) is None
    assert unfit(family(location=None, departement="59"), volunteer(), today=TODAY) is (
        Unfit.DISTANCE
    )


def test_the_waitlist_reason_is_what_stopped_most_candidates() -> None:
    reasons = [Unfit.SLOT, Unfit.CAPACITY, Unfit.SLOT, None, Unfit.NO_CONSENT]
    assert waitlist_reason(reasons) is Unfit.SLOT
    assert waitlist_reason([]) is Unfit.DISTANCE, "no candidate at all: nobody in range"
