"""What every service's HTTP side wears: security headers, a body size limit, and rate
limits on public doors.

The Content-Security-Policy fits the pages as they are: DSFR's CSS, fonts, icons and
JavaScript from /static/dsfr (same origin), its data: SVG icons, and the few `style`
attributes of the templates; no inline script, no other origin, no framing. The OpenAPI and
AsyncAPI viewers load their own scripts from a CDN, so they get only `frame-ancestors`.

Rate limits are per client address and door: counted in the service's store when the app
has one (`kit/buckets.py`: every replica sees the same count, so two replicas do not double
what one address may post; the partner door's failed requests too), else with the `limits`
library in the process's memory (moving window: an app without a store).
"""

import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.buckets import COLLECTION as BUCKETS
from entraide.kit.buckets import SharedBuckets
from entraide.kit.deps import lookup_optional

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def page_csp(form_targets: Iterable[str] = ()) -> str:
    """The pages' Content-Security-Policy. `form_targets`: the other origins a form's answer
    may lead to (signing in on one service sends a funder to the observatory's pages, the
    DPO to privacy's: Chromium applies form-action to the redirects a form's answer makes)."""
    targets = " ".join(["'self'", *dict.fromkeys(form_targets)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action {targets}",
            "frame-ancestors 'none'",
        ]
    )


PAGE_CSP = page_csp()
VIEWER_CSP = "frame-ancestors 'none'"
VIEWER_PATHS = ("/docs", "/redoc", "/asyncapi")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (a route may set its own)."""

    def __init__(
        self, app: ASGIApp, *, https: bool = False, form_targets: Iterable[str] = ()
    ) -> None:
        self.app = app
        common = {**HEADERS, **({"Strict-Transport-Security": HSTS} if https else {})}
        # encoded once: a response adds those its route did not set (`_worn`)
        self.page = _encoded(common | {"Content-Security-Policy": page_csp(form_targets)})
        self.viewer = _encoded(common | {"Content-Security-Policy": VIEWER_CSP})

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        worn = self.viewer if str(scope.get("path", "")).startswith(VIEWER_PATHS) else self.page

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _worn(message.get("headers") or [], worn)
            await send(message)

        await self.app(scope, receive, send_with_headers)


Raw = list[tuple[bytes, bytes]]


def _encoded(headers: dict[str, str]) -> Raw:
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]


def _worn(headers: Iterable[tuple[bytes, bytes]], defaults: Raw) -> Raw:
    """The response's headers, then each default it does not set itself."""
    raw = list(headers)
    present = {name.lower() for name, _ in raw}
    return raw + [(name, value) for name, value in defaults if name not in present]


MAX_BODY_BYTES = 1024 * 1024


class BodyLimit:
    """ASGI middleware: 413 for a body over `max_bytes`, by its Content-Length or, when the
    client streams it, as soon as the bytes received pass the limit (nothing is read past)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, detail={"code": "body-too-large"})
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Callable[[Message], Awaitable[None]]) -> None:
    body = b'{"detail":{"code":"body-too-large"}}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RateLimits:
    """One app's limiter: `limit` (e.g. "30/minute") per client address and door; shared by
    the replicas through `shared` (the store's buckets) when given."""

    def __init__(self, limit: str, shared: SharedBuckets | None = None) -> None:
        self.item: RateLimitItem = parse(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.shared = shared

    @classmethod
    def in_store(cls, limit: str, db: AsyncDatabase[dict[str, Any]], secret: bytes) -> "RateLimits":
        return cls(limit, SharedBuckets(db[BUCKETS], parse(limit), secret=secret))

    async def admit(self, door: str, client: str) -> int | None:
        """None if this post is admitted (and counted by every replica when shared), else
        the seconds to wait."""
        if self.shared is None:
            return self.retry_after(door, client)
        return await self.shared.retry_after(door, client)

    def retry_after(self, door: str, client: str) -> int | None:
        """In this process only: None if this hit is allowed, else the seconds until the
        window frees a slot."""
        if self.limiter.hit(self.item, door, client):
            return None
        reset, _ = self.limiter.get_window_stats(self.item, door, client)
        return max(1, int(reset - time.time()) + 1)


async def rate_limited(request: Request) -> None:
    """FastAPI dependency for public doors: 429 with Retry-After past the app's limit."""
    limits = lookup_optional(request.app, RateLimits)
    if limits is None:
        return
    client = request.client.host if request.client else "unknown"
    door = f"{request.method} {request.url.path}"
    wait = await limits.admit(door, client)
    if wait is not None:
        raise HTTPException(
            429, detail={"code": "rate-limited"}, headers={"Retry-After": str(wait)}
        )
