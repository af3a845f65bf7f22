"""An access case's own key pair: the private half in the vault (`case-<id>`), the public
half sent with its command, so each service seals its part to it and only privacy opens it.
A case opened again under its id (a public request's, after a stop) finds its key in the
vault already: the public half sent is that key's, so the parts stay readable."""

import base64
from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from entraide.kit.export_seal import new_recipient
from entraide.privacy.domain.cases import Case
from entraide.privacy.usecases.ports import Keys


def key_id(case: Case) -> str:
    """The vault's id of an access case's own key (the subject's keys beside it)."""
    return f"case-{case.case_id}"


async def with_recipient(vault: Keys, case: Case) -> Case:
    """The case with the public half of its key, made in the vault if it is not there."""
    private, _ = await vault.get_or_create(
        "privacy",
        key_id(case),
        subject_ref=case.subject_ref,
        subject_kind=case.subject_kind.value,
        material=new_recipient()[0],
    )
    public = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()
    return replace(case, recipient_key=base64.b64encode(public).decode())
