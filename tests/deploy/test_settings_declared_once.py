"""Each setting is declared once in a service's settings hierarchy: a service's class that
declares again a field the kit already gives it (its own `intake_url` with its own
description) hides the kit's from docs/configuration.md's shared table, and the two
declarations drift apart. The kit's fields without a default (`port`, `database`) are the
exception by design: each service must give them its own default and variable."""

import inspect
import sys
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import config_reference  # noqa: E402


def declared_again(service: str) -> dict[str, list[str]]:
    """The fields declared by more than one class of the service's settings hierarchy
    (beyond the kit's required ones), each with the classes declaring it."""
    cls = config_reference.settings_class(service)
    declaring: dict[str, list[str]] = {}
    required: set[str] = set()
    for klass in cls.__mro__:
        if not issubclass(klass, BaseSettings) or klass is BaseSettings:
            continue
        for name in inspect.get_annotations(klass):
            if name in klass.model_fields:
                declaring.setdefault(name, []).append(klass.__qualname__)
                if klass is not cls and klass.model_fields[name].is_required():
                    required.add(name)
    return {n: c for n, c in declaring.items() if len(c) > 1 and n not in required}


@pytest.mark.parametrize("service", config_reference.SERVICES)
def test_no_setting_is_declared_twice_in_a_services_settings(service: str) -> None:
    assert not declared_again(service), f"{service}: {declared_again(service)}"


def test_the_kits_required_fields_are_the_ones_each_service_declares_again() -> None:
    """The exception is real: every service declares `port` and `database` itself."""
    for service in config_reference.SERVICES:
        own = inspect.get_annotations(config_reference.settings_class(service))
        assert {"port", "database"} <= set(own), service
