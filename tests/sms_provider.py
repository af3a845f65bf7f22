"""A local stand-in for Brevo's transactional SMS API that checks every request against
the contract the kit's `BrevoSms` codes to, and answers like Brevo.

Contract (Brevo API v3): `POST /v3/transactionalSMS/send`, headers `api-key` (the
account's key) and `content-type: application/json`; JSON body with `sender` (11
alphanumeric characters or 15 digits at most), `recipient` (the number with its country
code, digits only: E.164 without the plus), `content` (the text), `type`
(`transactional` or `marketing`), optional `tag`, `webUrl`, `unicodeEnabled`,
`organisationPrefix`. Answers 201 `{"messageId": <int>}`; 400
`{"code": "invalid_parameter", "message": ...}`, 401 `{"code": "unauthorized", ...}`.
`fail_next` makes it answer 503 that many times (an outage).
"""

import contextlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.servers import serve_in_thread

FIELDS = {"sender", "recipient", "content", "type", "tag", "webUrl", "unicodeEnabled"}
FIELDS |= {"organisationPrefix"}
E164_DIGITS = re.compile(r"[1-9]\d{7,14}")
SENDER = re.compile(r"[A-Za-z0-9 ]{1,11}|\d{1,15}")


@dataclass
class SmsProvider:
    api_key: str = "test-brevo-key"
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    fail_next: int = 0
    url: str = ""

    def problems(self, request: Request, body: Any) -> list[str]:
        found = []
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            found.append("content-type is not application/json")
        if not isinstance(body, dict):
            return [*found, "body is not a JSON object"]
        if unknown := set(body) - FIELDS:
            found.append(f"unknown fields {sorted(unknown)}")
        for name in ("sender", "recipient", "content"):
            if not isinstance(body.get(name), str) or not body[name]:
                found.append(f"{name} missing")
        if found:
            return found
        if not SENDER.fullmatch(body["sender"]):
            found.append("sender: 11 alphanumeric characters or 15 digits at most")
        if not E164_DIGITS.fullmatch(body["recipient"]):
            found.append("recipient: country code and number, digits only")
        if body.get("type", "transactional") not in ("transactional", "marketing"):
            found.append("type: transactional or marketing")
        if "unicodeEnabled" in body and not isinstance(body["unicodeEnabled"], bool):
            found.append("unicodeEnabled: a boolean")
        return found

    def app(self) -> FastAPI:
        app = FastAPI()
        ids = itertools.count(1511882900176220)

        @app.post("/v3/transactionalSMS/send")
        async def send(request: Request) -> JSONResponse:
            if request.headers.get("api-key") != self.api_key:
                self.refused.append("api-key")
                return JSONResponse({"code": "unauthorized", "message": "Key not found"}, 401)
            if self.fail_next > 0:
                self.fail_next -= 1
                return JSONResponse({"code": "internal_error", "message": "down"}, 503)
            try:
                body = await request.json()
            except ValueError:
                body = None
            if problems := self.problems(request, body):
                self.refused.extend(problems)
                return JSONResponse({"code": "invalid_parameter", "message": problems[0]}, 400)
            self.accepted.append(body)
            return JSONResponse({"messageId": next(ids)}, 201)

        return app


@contextlib.contextmanager
def running_sms_provider() -> Iterator[SmsProvider]:
    provider = SmsProvider()
    with serve_in_thread(provider.app(), name="sms-provider") as base:
        provider.url = f"{base}/v3"
        yield provider
