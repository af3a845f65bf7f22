"""The committed v1 schemas bind the models: an incompatible change fails here."""

import copy
import json

import pytest

from entraide.contracts import CATALOG
from entraide.contracts.compat import breaking_changes
from entraide.contracts.generate import SCHEMA_DIR, stale_files


def committed(event_type: str) -> dict[str, object]:
    return json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.type)
def test_v1_model_is_compatible_with_its_committed_schema(spec) -> None:
    assert breaking_changes(committed(spec.type), spec.model.model_json_schema()) == []


def test_generated_files_are_committed_and_fresh() -> None:
    assert stale_files() == [], "run: uv run python -m entraide.contracts.generate"


def submitted() -> dict:
    return committed("fr.entraide.request.submitted.v1")


def test_removed_field_is_breaking() -> None:
    new = copy.deepcopy(submitted())
    del new["properties"]["postal_code"]
    assert breaking_changes(submitted(), new) == ["data.postal_code: field removed"]


def test_retyped_field_is_breaking() -> None:
    new = copy.deepcopy(submitted())
    new["properties"]["revision"] = {"type": "string"}
    assert breaking_changes(submitted(), new) == [
        "data.revision: type changed from 'integer' to 'string'"
    ]


def test_new_required_field_is_breaking_but_new_optional_field_is_not() -> None:
    new = copy.deepcopy(submitted())
    new["properties"]["quartier"] = {"type": "string"}
    assert breaking_changes(submitted(), new) == []
    new["required"].append("quartier")
    assert breaking_changes(submitted(), new) == ["data.quartier: new required field"]


def test_removed_enum_value_is_breaking_and_added_one_is_not() -> None:
    new = copy.deepcopy(submitted())
    needs = new["$defs"]["Need"]["enum"]
    needs.append("nouveau-besoin")
    assert breaking_changes(submitted(), new) == []
    needs.remove("ecoute")
    assert breaking_changes(submitted(), new) == ["data.needs[]: enum values removed: ['ecoute']"]


def test_list_item_retyped_is_breaking() -> None:
    new = copy.deepcopy(submitted())
    new["properties"]["languages"]["items"] = {"type": "integer"}
    assert breaking_changes(submitted(), new) == [
        "data.languages[]: type changed from 'string' to 'integer'"
    ]
