"""What a form did, said on the page it comes back to (post/redirect/get), and only if this
service said it. The redirect's query carries the outcome (`resultat`: a code, an action's
name, an error's sentence) as the kit's opaque text (`opaque.pack`), signed with the
service's session secret (HMAC-SHA256) for the one person it is for; the page shows only
what it signed for whoever views it. A link crafted elsewhere (`?fait=retire&nom=Appelez le
01…`, or a real outcome's link sent to someone else) says nothing on the page: no alert, no
error page, whatever its characters.

Signed, not encrypted: anyone who sees the address (browser history, a proxy, an access
log) reads the outcome. So an outcome never carries personal data: no person's name, phone
or e-mail (a volunteer's, a family's); a code, or an id the page reads the name of from the
store, instead. An association's action title may go.

    return RedirectResponse(f"/propositions?{urlencode(flash.signed(request, who, ok=done))}")
    said = flash.said(request, who)  # {"ok": "acceptee"}, or {} for anything unsigned
"""

import hashlib
import hmac
from collections.abc import Mapping

from fastapi import Request

from entraide.kit import opaque
from entraide.kit.signin import auth_config

FIELD = "resultat"  # the query's one field: the outcome and its signature


def seal(secret: bytes, viewer: str, outcome: Mapping[str, str]) -> str:
    """`outcome` as a query value that only `unseal` with the same secret and viewer opens
    (and anyone reads: see above)."""
    payload = opaque.pack(dict(outcome))
    return f"{payload}.{_mac(secret, viewer, payload)}"


def unseal(secret: bytes, viewer: str, token: str) -> dict[str, str]:
    """The outcome `seal` wrote for `viewer`; {} for anything else (unsigned, altered,
    signed for someone else or with another secret, characters `seal` never writes)."""
    payload, _, mac = token.rpartition(".")
    if not payload or not token.isascii():  # a MAC compares ASCII only
        return {}
    if not hmac.compare_digest(_mac(secret, viewer, payload), mac):
        return {}
    try:
        found = opaque.unpack(payload)
    except opaque.CursorError:
        return {}
    if not all(isinstance(v, str) for v in found.values()):
        return {}
    return found


def signed(request: Request, viewer: str, **outcome: str) -> dict[str, str]:
    """The redirect's query field saying `outcome` to `viewer` (a staff member's subject,
    a volunteer's id) on the page it leads to."""
    return {FIELD: seal(_secret(request), viewer, outcome)}


def said(request: Request, viewer: str) -> dict[str, str]:
    """The outcome this page's query carries, if this service signed it for `viewer`."""
    return unseal(_secret(request), viewer, request.query_params.get(FIELD, ""))


def _mac(secret: bytes, viewer: str, payload: str) -> str:
    message = b"flash\0" + viewer.encode() + b"\0" + payload.encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _secret(request: Request) -> bytes:
    return auth_config(request).settings.session_secret.get_secret_value().encode()
