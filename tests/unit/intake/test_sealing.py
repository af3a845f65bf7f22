import base64

import pytest
from cryptography.exceptions import InvalidTag

from entraide.intake.domain import sealing

IDENTITY = {"parent": {"first_name": "Amina", "last_name": "Diallo"}, "commune": "Nantes"}


def test_sealed_identity_opens_with_the_family_key_only() -> None:
    key = sealing.new_key()
    sealed = sealing.seal(key, "fam-1", IDENTITY)
    assert "Diallo" not in str(sealed)
    assert sealing.unseal(key, "fam-1", sealed) == IDENTITY
    with pytest.raises(InvalidTag):
        sealing.unseal(sealing.new_key(), "fam-1", sealed)


def test_sealed_value_copied_to_another_family_does_not_open() -> None:
    key = sealing.new_key()
    with pytest.raises(InvalidTag):
        sealing.unseal(key, "fam-2", sealing.seal(key, "fam-1", IDENTITY))


def test_tampered_ciphertext_is_refused() -> None:
    key = sealing.new_key()
    sealed = sealing.seal(key, "fam-1", IDENTITY)
    raw = bytearray(base64.b64decode(sealed["ciphertext"]))
    raw[0] ^= 0x01  # one bit of the ciphertext
    with pytest.raises(InvalidTag):
        sealing.unseal(key, "fam-1", sealed | {"ciphertext": base64.b64encode(raw).decode()})


def test_data_keys_are_wrapped_under_the_master_key() -> None:
    master, key = sealing.new_key(), sealing.new_key()
    wrapped = sealing.wrap(master, "fam-1", key)
    assert sealing.unwrap(master, "fam-1", wrapped) == key
    with pytest.raises(InvalidTag):
        sealing.unwrap(sealing.new_key(), "fam-1", wrapped)
