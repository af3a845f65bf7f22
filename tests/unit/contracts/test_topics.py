from pathlib import Path

from entraide.contracts import CATALOG, TOPICS
from entraide.contracts.topics import all_topic_names

ROOT = Path(__file__).resolve().parents[3]


def declared() -> set[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("deploy_topics", ROOT / "deploy" / "topics.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.declared_topics())


def test_deploy_declares_exactly_the_contracts_topics() -> None:
    assert declared() == all_topic_names()


def test_every_event_type_is_unique_and_versioned() -> None:
    types = [spec.type for spec in CATALOG]
    assert len(types) == len(set(types))
    assert all(t.startswith("fr.entraide.") and t.endswith(".v1") for t in types)
    assert all(t.name.endswith(".v1") for t in TOPICS)
