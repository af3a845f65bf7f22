"""Data keys wrapped under a master key (AES-256-GCM, the key's id as associated data)."""

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap(master: bytes, key_id: str, key: bytes) -> dict[str, str]:
    """The key encrypted under `master`; it opens only for the same id."""
    nonce = os.urandom(12)
    sealed = AESGCM(master).encrypt(nonce, key, key_id.encode())
    return {"nonce": _b64(nonce), "ciphertext": _b64(sealed)}


def unwrap(master: bytes, key_id: str, wrapped: dict[str, str]) -> bytes:
    nonce, sealed = base64.b64decode(wrapped["nonce"]), base64.b64decode(wrapped["ciphertext"])
    return AESGCM(master).decrypt(nonce, sealed, key_id.encode())


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
