"""Identity data sealed at rest with the family's own data key (AES-256-GCM).

The family id is bound as associated data, so a sealed value copied onto another family
does not open. Deleting the family's key makes every sealed copy unreadable.
"""

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(key: bytes, family_id: str, value: Any) -> dict[str, str]:
    """JSON-serialise and encrypt `value` for this family."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), family_id.encode())
    return {"v": "1", "nonce": _b64(nonce), "ciphertext": _b64(sealed)}


def unseal(key: bytes, family_id: str, sealed: dict[str, str]) -> Any:
    """Decrypt what `seal` produced; raises `cryptography.exceptions.InvalidTag` if tampered."""
    plain = AESGCM(key).decrypt(
        _unb64(sealed["nonce"]), _unb64(sealed["ciphertext"]), family_id.encode()
    )
    return json.loads(plain)


def wrap(master: bytes, family_id: str, key: bytes) -> dict[str, str]:
    """A data key encrypted under the master key (envelope encryption)."""
    return seal(master, family_id, _b64(key))


def unwrap(master: bytes, family_id: str, wrapped: dict[str, str]) -> bytes:
    return _unb64(unseal(master, family_id, wrapped))


def derive(master: bytes, purpose: str) -> bytes:
    """A key for one purpose, derived from the master key (never the master key itself)."""
    return hmac.new(master, b"entraide:" + purpose.encode(), hashlib.sha256).digest()


def blind_index(key: bytes, term: str) -> str:
    """A keyed hash of a search term: equal terms meet, the store never sees them."""
    return hmac.new(key, term.encode(), hashlib.sha256).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
