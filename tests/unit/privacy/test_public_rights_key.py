"""The public rights channel's key (its codes, follow-ups and export links, valid up to 7
days) does not move when the vault's master key is rotated: it was derived from the active
master, so a rotation refused every code and access-export link sent before it."""

import base64

import pytest
from pydantic import SecretStr

from entraide.privacy.settings import PrivacySettings

OLD, NEW = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2))


def settings(**changes: object) -> PrivacySettings:
    masters = {"2026-11": SecretStr(OLD), "2027-05": SecretStr(NEW)}
    return PrivacySettings(master_keys=masters, **changes)  # type: ignore[arg-type]


def test_rotating_the_active_master_keeps_the_channel_key() -> None:
    before = settings(active_master="2026-11")
    after = settings(active_master="2027-05")
    assert before.public_rights_key() == after.public_rights_key()
    pinned = settings(active_master="2027-05", public_rights_master="2027-05")
    assert pinned.public_rights_key() != after.public_rights_key()  # the pin decides


def test_a_pin_outside_the_master_keys_is_refused() -> None:
    with pytest.raises(ValueError, match="PUBLIC_RIGHTS_MASTER"):
        settings(active_master="2027-05", public_rights_master="2025-01").public_rights_key()
