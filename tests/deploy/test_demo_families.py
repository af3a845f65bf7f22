"""The demo's families and README's example family (deploy/demo/request.json) are other
people: the README's first `POST /api/v1/requests` records its family (201), as it says,
instead of finding one of `make up`'s families and answering 409."""

import json
from pathlib import Path

from entraide.intake.domain.requests import lookup_terms
from tests.deploy.test_demo_volunteers import demo_module

EXAMPLE = json.loads((Path(__file__).parents[2] / "deploy/demo/request.json").read_text())


def terms(body: dict) -> set[str]:
    parent = body["parent"]
    return set(
        lookup_terms(
            first_name=parent["first_name"],
            last_name=parent["last_name"],
            phone=parent.get("phone"),
            email=parent.get("email"),
        )
    )


def test_no_demo_family_looks_like_the_readmes_example_family() -> None:
    families = demo_module("load").bodies()
    assert len(families) == len(demo_module("load").FAMILIES)
    for family in families:
        assert not terms(family) & terms(EXAMPLE), family["commune"]


def test_the_demo_families_do_not_look_like_each_other() -> None:
    seen: set[str] = set()
    for family in demo_module("load").bodies():
        assert not terms(family) & seen, family["commune"]
        seen |= terms(family)
