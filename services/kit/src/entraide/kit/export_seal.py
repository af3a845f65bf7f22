"""A service's part of an access export, sealed for the case that asked for it.

`AccessRequested.recipient_key` carries the case's X25519 public key; each service seals
its part with a fresh ephemeral key (X25519, HKDF-SHA256, AES-256-GCM, the case id bound
as associated data) and returns it in `AccessAcknowledged.sealed_export`. Only privacy,
holding the case's private key, can open the parts: the acks topic stays unreadable.
"""

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RAW = serialization.Encoding.Raw
INFO = b"entraide:access-export:v1"


def new_recipient() -> tuple[bytes, str]:
    """A case's key pair: the private key (raw, to keep wrapped) and the public key (base64)."""
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return raw_private, _b64(public)


def seal_for(recipient_key: str, case_id: str, part: Any) -> str:
    """JSON-serialise `part` and seal it so only the case's private key opens it."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(_unb64(recipient_key)))
    nonce = os.urandom(12)
    sealed = AESGCM(_derive(shared)).encrypt(nonce, json.dumps(part).encode(), case_id.encode())
    epk = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return _b64(
        json.dumps({"v": 1, "epk": _b64(epk), "nonce": _b64(nonce), "ct": _b64(sealed)}).encode()
    )


def open_sealed(private_key: bytes, case_id: str, sealed: str) -> Any:
    """What `seal_for` sealed; raises `cryptography.exceptions.InvalidTag` if tampered."""
    box = json.loads(_unb64(sealed))
    private = X25519PrivateKey.from_private_bytes(private_key)
    shared = private.exchange(X25519PublicKey.from_public_bytes(_unb64(box["epk"])))
    plain = AESGCM(_derive(shared)).decrypt(
        _unb64(box["nonce"]), _unb64(box["ct"]), case_id.encode()
    )
    return json.loads(plain)


def _derive(shared: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(shared)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
