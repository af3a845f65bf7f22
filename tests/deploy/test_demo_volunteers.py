"""`make up`'s demo: its volunteers fit its families under matching's hard rules, so a
newcomer sees volunteers proposed on /propositions (the stack itself: README, tried by hand)."""

import importlib.util
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

from entraide.contracts.geography import locate
from entraide.directory.domain.volunteers.rules import HONORABILITY_VALIDITY
from entraide.matching.domain import rules
from entraide.matching.domain.model import Family, Support

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo"


def demo_module(name: str) -> ModuleType:
    sys.path.insert(0, str(DEMO))  # the demo scripts import each other as siblings
    try:
        spec = importlib.util.spec_from_file_location(f"demo_{name}", DEMO / f"{name}.py")
        assert spec
        assert spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(DEMO))
        sys.modules.pop("load", None)


def test_each_demo_volunteer_fits_a_demo_family_under_matchings_rules():
    load, volunteers = demo_module("load"), demo_module("volunteers")
    template = load.TEMPLATE
    slots = frozenset((s["day"], s["part"]) for s in template["availability"])
    families = [
        Family(
            request_id=f"demo-{n}",
            family_ref=f"demo-family-{n}",
            needs=frozenset(needs),
            departement=postal_code[:2],
            location=locate(postal_code, postal_code[:2]),
            age_bands=frozenset({"3-5", "6-10"}),
            slots=slots,
            languages=frozenset(template["languages"]),
            urgency="medium",
            consent=True,
            waiting_since=datetime.now(UTC),
            known_associations=frozenset({association}),
        )
        for n, (postal_code, _, association, needs, _) in enumerate(load.FAMILIES)
    ]
    today = date.today()
    fitted = set()
    for first_name, association, postal_code, needs, languages in volunteers.VOLUNTEERS:
        support = Support(
            key=f"volunteer:demo-{first_name}",
            association_id=association,
            needs=frozenset(needs),
            departements=frozenset({postal_code[:2]}),
            location=locate(postal_code, postal_code[:2]),
            capacity=1,
            load=0,
            one_to_one=True,
            slots=frozenset((s["day"], s["part"]) for s in volunteers.SLOTS),
            languages=frozenset(languages),
            honorability_valid_until=today + HONORABILITY_VALIDITY - timedelta(days=1),
        )
        fits = [f.request_id for f in families if rules.unfit(f, support, today=today) is None]
        assert fits, f"demo volunteer {first_name} fits no demo family"
        fitted.update(fits)
    assert len(fitted) >= 5  # most demo families get a volunteer, not only an offer
