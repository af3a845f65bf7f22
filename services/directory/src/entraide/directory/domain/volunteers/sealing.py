"""Volunteers' identity sealed at rest with their own data key (AES-256-GCM).

The volunteer id is the associated data, so a sealed value copied onto another volunteer
does not open; destroying the volunteer's key makes every copy unreadable. The keys live
in privacy's key vault (the kit's `SubjectKeys`, the default), which destroys them when an
erasure case closes; `adapters.volunteers.local_keys.VolunteerKeys` keeps them in directory's database,
wrapped under its master key, for running directory alone (ENTRAIDE_KEYS=local).
"""

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


def seal(key: bytes, owner: str, value: Any) -> dict[str, str]:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), owner.encode())
    return {
        "v": "1",
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
    }


def unseal(key: bytes, owner: str, sealed: dict[str, str]) -> Any:
    """Raises `cryptography.exceptions.InvalidTag` if tampered with or for another owner."""
    nonce, data = base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["ciphertext"])
    return json.loads(AESGCM(key).decrypt(nonce, data, owner.encode()))
