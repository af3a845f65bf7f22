"""Bad input at the HTTP doors: oversized bodies, wrong content types, unicode edge cases,
tampered signatures. Each gets a clear 4xx and leaves nothing half-written.
(Replays outside the window, forged signatures, wrong sources: test_partner_doors.)"""

import json

import pytest

from entraide.intake.app import create_app as intake_app
from tests.integration.conftest import PARTNER_SECRET
from tests.integration.test_partner_doors import partner_event, signed
from tests.support import request_body, serving

MIB = 1024 * 1024
TRICKY_NAMES = [
    "Zoé\u0301",  # combining accent
    "\u202eniamA",  # right-to-left override
    "Amina\u200b",  # zero-width space
    "\U0001f600\U0001f469\u200d\U0001f467",  # emoji with a zero-width joiner
    "\uff21\uff4d\uff49\uff4e\uff41",  # full-width letters
    "a\u0000b",  # NUL
    "\ud800",  # a lone surrogate: not encodable as UTF-8
]


@pytest.fixture
async def intake(partner_settings, staff_bearer):
    async with serving(intake_app(partner_settings), ready=False) as client:
        client.headers.update(staff_bearer)
        yield client


async def _families(mongo, settings) -> int:
    return await mongo[settings.database]["families"].count_documents({})


async def test_an_oversized_body_is_refused_with_413_before_it_is_read(
    intake, mongo, partner_settings
) -> None:
    huge = json.dumps(request_body() | {"notes": "x" * (2 * MIB)})
    for path in ("/api/v1/requests", "/api/v1/partner-events"):
        answer = await intake.post(path, content=huge, headers={"content-type": "application/json"})
        assert answer.status_code == 413, path
    assert await _families(mongo, partner_settings) == 0


async def test_a_body_that_is_not_json_gets_a_4xx_naming_the_problem(intake) -> None:
    for content_type, body in [
        ("text/plain", json.dumps(request_body())),
        ("application/x-www-form-urlencoded", "postal_code=44000"),
        ("application/json", "{not json"),
        ("application/json", "\xff\xfe"),
    ]:
        answer = await intake.post(
            "/api/v1/requests",
            content=body.encode("latin-1", "replace"),
            headers={"content-type": content_type},
        )
        assert 400 <= answer.status_code < 500, (content_type, answer.status_code)


async def test_the_partner_door_takes_json_content_types_only(
    intake, mongo, partner_settings
) -> None:
    source = next(iter(partner_settings.partners.values())).source
    body = partner_event(source)
    headers = signed(body) | {"content-type": "text/xml"}
    answer = await intake.post("/api/v1/partner-events", content=body, headers=headers)
    assert answer.status_code == 415
    assert await _families(mongo, partner_settings) == 0


@pytest.mark.parametrize("name", TRICKY_NAMES)
async def test_unicode_edge_cases_are_taken_or_refused_never_a_5xx(intake, name: str) -> None:
    body = request_body()
    body["parent"]["first_name"] = name
    payload = json.dumps(body, ensure_ascii=True)  # keeps a lone surrogate as \ud800
    answer = await intake.post(
        "/api/v1/requests", content=payload, headers={"content-type": "application/json"}
    )
    assert answer.status_code in (201, 422), answer.text


async def test_a_signature_for_another_body_or_another_partner_is_refused(
    intake, mongo, partner_settings
) -> None:
    source = next(iter(partner_settings.partners.values())).source
    body, other = partner_event(source, "e-1"), partner_event(source, "e-2")
    swapped = await intake.post("/api/v1/partner-events", content=other, headers=signed(body))
    wrong_key = await intake.post(
        "/api/v1/partner-events", content=body, headers=signed(body, secret="another-partner")
    )
    no_key = await intake.post(
        "/api/v1/partner-events",
        content=body,
        headers={k: v for k, v in signed(body).items() if k != "X-Entraide-Partner"},
    )
    assert [a.status_code for a in (swapped, wrong_key, no_key)] == [401, 401, 401]
    assert [a.json()["detail"]["code"] for a in (swapped, wrong_key, no_key)] == [
        "bad-signature",
        "bad-signature",
        "unknown-partner",
    ]
    assert await _families(mongo, partner_settings) == 0
    assert PARTNER_SECRET not in swapped.text + wrong_key.text
