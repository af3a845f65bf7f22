"""The partner door's gate: a partner this replica already knows to be past its quota is
refused before anything else runs, in front of the app's whole stack.

Without it, each refusal of a flooding partner went the whole way: tracing, metrics,
routing, the body read, the signature, an exception and its handler (in one run of
tests/benchmarks/test_partner_quotas.py: about 430 refusals a second filled intake's core,
and the ten partners at their quotas saw their p99 go from 0.18 s to 0.83 s). At the gate a
refusal costs a header lookup and a comparison (`QuotaBook.known_over`: no store call).

Its answer is held for a second, the shortest `Retry-After` there is (the header then
carries what is left of the wait): a client that waits as told loses nothing. A client that
does not wait sends one request a second per connection instead of as many as intake can
refuse, and a held answer is a sleeping coroutine, which costs intake nothing meanwhile. A
fixed second rather than "until the bucket has room": held until that instant, all of a
flooder's connections came back at once, passed the gate together and went the whole way
to the store, one of them admitted and the others refused there (measured, partners at
300 a minute, a flooder on 32 connections: 351 requests a second costing intake 0.48 of a
core; held a fixed second, 61 a second and 0.10 of a core, its admitted events included).

Nothing is verified before that refusal: anyone naming a partner's key while that partner
is over its quota is refused as the partner would be, and learns only what the partner's
own answers say (that it is over its quota, and the quota). The partner's requests are
refused meanwhile anyway; nothing is counted against its bucket. The refusal is counted in
`entraide_partner_quota_refusals_total` and sent with the security headers, but makes no
trace span and no `http_requests_total` line (it never reaches those middlewares).
"""

import asyncio
import json
import math
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from entraide.intake.usecases.ports import QuotaBook
from entraide.kit.protect import HEADERS, PAGE_CSP, ASGIApp, Message, Scope

PREFIX = "/api/v1/partner-events"
KEY_HEADER = b"x-entraide-partner"
HOLD_S = 1.0  # a refusal's answer waits this long: the shortest Retry-After there is


def install(app: FastAPI, quotas: QuotaBook) -> None:
    """Put the gate in front of the app's whole stack, error handling and tracing included
    (FastAPI builds the stack at the first request; OpenTelemetry wraps it the same way)."""
    build = app.build_middleware_stack

    def build_behind_gate() -> ASGIApp:
        return QuotaGate(build(), quotas=quotas)

    app.build_middleware_stack = build_behind_gate  # type: ignore[method-assign]


class QuotaGate:
    """ASGI middleware: 429 `quota-exceeded`, answered after HOLD_S, for a partner known to
    be over quota."""

    def __init__(self, app: ASGIApp, *, quotas: QuotaBook) -> None:
        self.app = app
        self.quotas = quotas

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(PREFIX):
            key = dict(scope.get("headers") or []).get(KEY_HEADER, b"").decode("latin-1")
            wait = self.quotas.known_over(key) if key else None
            if wait is not None:
                await asyncio.sleep(HOLD_S)
                await self._refuse(send, key, max(1, math.ceil(wait - HOLD_S)))
                return
        await self.app(scope, receive, send)

    async def _refuse(
        self, send: Callable[[Message], Awaitable[None]], key: str, wait: int
    ) -> None:
        quota = self.quotas.partners[key].quota.model_dump()
        body = json.dumps({"detail": {"code": "quota-exceeded", "quota": quota}}).encode()
        headers = [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()]
        headers += [
            (b"content-security-policy", PAGE_CSP.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(body)),
            (b"retry-after", b"%d" % wait),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})
