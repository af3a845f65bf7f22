"""Families and supports for the matching rules' tests: sensible defaults, one change each."""

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from entraide.contracts.geography import locate
from entraide.kit.principal import Principal, Role
from entraide.matching.domain.model import Family, Support

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
NANTES = locate("44000")
REZE = locate("44400")
PARIS = locate("75011")

BASE_FAMILY = Family(
    request_id="req-1",
    family_ref="fam-1",
    needs=frozenset({"parrainage-de-proximite"}),
    departement="44",
    location=NANTES,
    age_bands=frozenset({"6-10"}),
    slots=frozenset({("we", "afternoon"), ("sa", "morning")}),
    languages=frozenset({"fr"}),
    urgency="medium",
    consent=True,
    waiting_since=NOW,
)
BASE_VOLUNTEER = Support(
    key="volunteer:vol-1",
    association_id="parrains-par-mille",
    needs=frozenset({"parrainage-de-proximite"}),
    departements=frozenset({"44"}),
    location=REZE,
    capacity=2,
    load=0,
    one_to_one=True,
    slots=frozenset({("we", "afternoon")}),
    languages=frozenset({"fr"}),
    honorability_valid_until=date(2027, 6, 1),
)


def family(**changes: Any) -> Family:
    return replace(BASE_FAMILY, **changes)


def volunteer(**changes: Any) -> Support:
    return replace(BASE_VOLUNTEER, **changes)


def offer(**changes: Any) -> Support:
    base = Support(
        key="offer:off-1",
        association_id="afev",
        needs=frozenset({"accompagnement-scolaire"}),
        departements=frozenset({"44"}),
        location=NANTES,
        capacity=10,
        load=0,
        one_to_one=False,
        age_min=6,
        age_max=11,
    )
    return replace(base, **changes)


# Parrains Par Mille's coordinator in Loire-Atlantique, as the pages' tests sign in
COORDINATOR = Principal(
    subject="c1",
    name="Claire",
    role=Role.COORDINATOR,
    association_id="parrains-par-mille",
    territories=("44",),
)
