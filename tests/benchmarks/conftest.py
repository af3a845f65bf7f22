"""Benchmarks use the integration tests' service fixtures."""

from tests.integration.conftest import intake_settings, staff_bearer

__all__ = ["intake_settings", "staff_bearer"]
