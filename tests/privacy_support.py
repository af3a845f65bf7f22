"""Helpers for tests that run privacy with the other services, in-process."""

import httpx
from fastapi import FastAPI

from entraide.contracts.kit.keyvault_client import KeyVaultClient, dev_secret
from entraide.intake.keys import VaultKeys
from entraide.intake.settings import IntakeSettings


def vault_client(privacy_app: FastAPI, service: str = "intake") -> KeyVaultClient:
    """A key vault client of `service` that reaches the in-process privacy app."""
    return KeyVaultClient(
        "http://privacy",
        service=service,
        secret=dev_secret(service),
        transport=httpx.ASGITransport(app=privacy_app),
    )


def vault_keys(privacy_app: FastAPI, settings: IntakeSettings) -> VaultKeys:
    """Intake's keys held by this privacy app's vault, as in production."""
    return VaultKeys(vault_client(privacy_app), settings.master_key_bytes())
