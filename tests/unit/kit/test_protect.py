"""The kit's security headers and public-door rate limits, on a bare app."""

import httpx
from fastapi import Depends, FastAPI, Request, Response

from entraide.kit import homes
from entraide.kit.deps import provide
from entraide.kit.protect import (
    PAGE_CSP,
    VIEWER_CSP,
    BodyLimit,
    RateLimits,
    SecurityHeaders,
    rate_limited,
)
from entraide.kit.settings import ServiceSettings


def app(limit: str = "3/minute", *, https: bool = False) -> FastAPI:
    made = FastAPI()
    provide(made, RateLimits(limit))
    made.add_middleware(BodyLimit, max_bytes=100)
    made.add_middleware(SecurityHeaders, https=https)

    @made.post("/door", dependencies=[Depends(rate_limited)])
    async def door() -> dict[str, str]:
        return {"ok": "yes"}

    @made.post("/door-reading")
    async def door_reading(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @made.get("/own-policy")
    async def own_policy() -> dict[str, str]:
        return {}

    @made.get("/own-headers")
    async def own_headers() -> Response:
        own = {"Content-Security-Policy": "default-src 'none'", "X-Frame-Options": "SAMEORIGIN"}
        return Response(b"{}", media_type="application/json", headers=own)

    return made


def client(made: FastAPI, host: str = "192.0.2.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=made, client=(host, 4000))
    return httpx.AsyncClient(transport=transport, base_url="http://service")


async def test_every_answer_carries_the_security_headers_even_an_error() -> None:
    async with client(app()) as http:
        for answer in (await http.post("/door"), await http.get("/nowhere")):
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["referrer-policy"] == "same-origin"
            assert answer.headers["content-security-policy"] == PAGE_CSP
            assert "strict-transport-security" not in answer.headers


async def test_the_page_policy_allows_only_this_origin_and_forbids_framing() -> None:
    directives = dict(d.split(" ", 1) for d in PAGE_CSP.split("; "))
    assert directives["script-src"] == "'self'"  # no inline script, no CDN
    assert directives["frame-ancestors"] == "'none'"
    assert directives["img-src"] == "'self' data:"  # DSFR's inline SVG icons
    assert directives["form-action"] == "'self'"


async def test_api_viewers_keep_their_cdn_but_not_framing() -> None:
    async with client(app()) as http:
        assert (await http.get("/docs")).headers["content-security-policy"] == VIEWER_CSP


async def test_a_route_keeps_the_headers_it_sets_itself_once_each() -> None:
    async with client(app()) as http:
        answer = await http.get("/own-headers")
    assert answer.headers.get_list("content-security-policy") == ["default-src 'none'"]
    assert answer.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert answer.headers["x-content-type-options"] == "nosniff"  # the others still added


async def test_hsts_only_over_https() -> None:
    async with client(app(https=True)) as http:
        assert "max-age=" in (await http.get("/own-policy")).headers["strict-transport-security"]


async def test_past_the_limit_a_client_gets_429_with_retry_after_and_others_do_not() -> None:
    made = app("3/minute")
    async with client(made, "192.0.2.1") as first, client(made, "192.0.2.2") as second:
        assert [(await first.post("/door")).status_code for _ in range(3)] == [200] * 3
        refused = await first.post("/door")
        assert refused.status_code == 429
        assert refused.json() == {"detail": {"code": "rate-limited"}}
        assert 1 <= int(refused.headers["retry-after"]) <= 61
        assert (await second.post("/door")).status_code == 200


async def test_limits_are_per_app_so_two_apps_do_not_share_a_window() -> None:
    async with client(app("1/minute")) as one, client(app("1/minute")) as other:
        assert (await one.post("/door")).status_code == 200
        assert (await other.post("/door")).status_code == 200
        assert (await one.post("/door")).status_code == 429


async def test_a_body_over_the_limit_is_refused_whether_declared_or_streamed() -> None:
    async def chunks():
        for _ in range(5):
            yield b"x" * 40

    async with client(app("100/minute")) as http:
        assert (await http.post("/door", content=b"x" * 100)).status_code == 200
        declared = await http.post("/door", content=b"x" * 101)
        assert (declared.status_code, declared.json()) == (
            413,
            {"detail": {"code": "body-too-large"}},
        )
        assert declared.headers["x-content-type-options"] == "nosniff"
        streamed = await http.post("/door-reading", content=chunks())
        assert streamed.status_code == 413


async def test_a_form_may_lead_to_the_services_where_people_have_their_home() -> None:
    """Signing in on intake sends a funder to the observatory, the DPO to privacy: Chromium
    applies form-action to the redirects a form's answer makes, and blocked them."""
    settings = ServiceSettings(
        port=8020,
        database="intake",
        intake_url="https://intake.entraide.example.org",
        privacy_url="https://privacy.entraide.example.org/",
        observatory_url="http://127.0.0.1:8050",
    )
    made = FastAPI()
    made.add_middleware(SecurityHeaders, form_targets=homes.origins(settings))
    async with client(made) as http:
        policy = (await http.get("/")).headers["content-security-policy"]
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["form-action"].split() == [
        "'self'",
        "https://intake.entraide.example.org",
        "https://privacy.entraide.example.org",
        "http://127.0.0.1:8050",
    ]
