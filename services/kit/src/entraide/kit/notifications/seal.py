"""The pending record's sealed part: the address and the template's context, kept only
until the message is sent (then removed), and sealed meanwhile (AES-256-GCM, the record's
key bound as associated data) so the store never holds them in clear."""

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class Seal:
    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(hashlib.sha256(b"entraide:notifications:v1" + secret.encode()).digest())

    def seal(self, key: str, value: Any) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, json.dumps(value, default=_iso).encode(), key.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, key: str, sealed: str) -> Any:
        raw = base64.b64decode(sealed)
        return json.loads(self._aead.decrypt(raw[:12], raw[12:], key.encode()))


def _iso(value: Any) -> str:
    """Dates and moments travel as ISO text (the French filters read it back)."""
    return str(value.isoformat())
