"""The skills a volunteer gives in their space: only the network's words travel to
matching, whose score adds a small, explained bonus where they serve the family's needs."""

from datetime import UTC, datetime

from entraide.directory.domain.volunteers.rules import availability_event
from entraide.matching.domain.score import SKILL_BONUS, WEIGHTS, score
from tests.unit.matching.factories import NOW, family, volunteer


def test_only_the_networks_skills_travel_on_the_volunteers_topic() -> None:
    doc = {
        "volunteer_ref": "ref-volunteer-1",
        "association_id": "parrains-par-mille",
        "revision": 2,
        "code_postal": "44000",
        "needs": ["accompagnement-scolaire"],
        "availability": [{"day": "mo", "part": "evening"}],
        "languages": ["fr"],
        "capacity": 1,
        "status": "approved",
        "skills": ["aide-aux-devoirs", "06 12 34 56 78 appelez-moi"],
    }
    event = availability_event(doc, at=datetime(2026, 11, 30, tzinfo=UTC))
    assert event.skills == ["aide-aux-devoirs"]


def test_a_useful_skill_adds_a_small_bonus_and_says_so() -> None:
    fam = family(needs=frozenset({"accompagnement-scolaire"}))
    plain = score(fam, volunteer(), now=NOW)
    helpful = score(fam, volunteer(skills=frozenset({"aide-aux-devoirs"})), now=NOW)
    assert helpful.fit == min(1.0, round(plain.fit + SKILL_BONUS, 4))
    assert "sait faire : aide aux devoirs" in helpful.reasons
    assert helpful.breakdown()["skills"] == 1.0
    assert plain.breakdown()["skills"] == 0.0


def test_a_skill_the_family_does_not_need_adds_nothing() -> None:
    fam = family(needs=frozenset({"accompagnement-scolaire"}))
    plain = score(fam, volunteer(), now=NOW)
    other = score(fam, volunteer(skills=frozenset({"garde-d-enfants", "inconnu"})), now=NOW)
    assert other.fit == plain.fit
    assert not any(r.startswith("sait faire") for r in other.reasons)


def test_the_bonus_never_outweighs_distance() -> None:
    """Smaller than the smallest weight: a skill breaks a tie, it does not move a family
    far from home."""
    assert min(WEIGHTS.values()) > SKILL_BONUS
    fam = family(needs=frozenset({"accompagnement-scolaire"}))
    near = score(fam, volunteer(), now=NOW)
    far = score(
        fam, volunteer(location=(47.3, -1.45), skills=frozenset({"aide-aux-devoirs"})), now=NOW
    )
    assert near.fit > far.fit
