"""Public doors are rate limited per address; secrets never reach logs or error pages."""

import base64
import logging

import pytest
from pydantic import SecretStr

from entraide.directory.app import create_app as directory_app
from entraide.directory.settings import DirectorySettings
from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.partners import Partner
from tests.infra import settings_on
from tests.integration.test_partner_doors import partner_event, signed
from tests.support import request_body, serving

SESSION_SECRET = "session-secret-4f1c9e"
PARTNER_SECRET = "partner-secret-8d2b7a"
KEYVAULT_SECRET = "keyvault-secret-c3e5f0"
MASTER_KEY = base64.b64encode(b"master-key-bytes-0123456789abcde").decode()
SECRETS = (SESSION_SECRET, PARTNER_SECRET, KEYVAULT_SECRET, MASTER_KEY)


async def test_the_volunteer_form_and_api_answer_429_past_the_limit(infra, unique) -> None:
    settings = settings_on(
        DirectorySettings,
        infra,
        f"test_directory_{unique}",
        public_rate_limit="2/minute",
        keys="local",
    )
    async with serving(directory_app(settings), ready=False) as directory:
        for path, send in (("/devenir-benevole", "data"), ("/api/v1/volunteers", "json")):
            answers = [await directory.post(path, **{send: {}}) for _ in range(3)]
            assert 429 not in [a.status_code for a in answers[:2]], path
            assert answers[2].status_code == 429, path
            assert int(answers[2].headers["retry-after"]) >= 1


async def test_a_partners_signed_posts_are_not_limited_by_address(partner_settings) -> None:
    """The address limit is for failed signatures (test_partner_quotas): signed posts count
    against the partner's own quota."""
    settings = partner_settings.model_copy(update={"public_rate_limit": "2/minute"})
    source = settings.partners["caf-44"].source
    async with serving(intake_app(settings), ready=False) as intake:
        bodies = [partner_event(source) for _ in range(3)]
        answers = [
            await intake.post("/api/v1/partner-events", content=b, headers=signed(b))
            for b in bodies
        ]
    assert [a.status_code for a in answers] == [201, 201, 201]


@pytest.fixture
def secret_settings(intake_settings, unique):
    return intake_settings.model_copy(
        update={
            "session_secret": SecretStr(SESSION_SECRET),
            "master_key": SecretStr(MASTER_KEY),
            "keyvault_secret": SecretStr(KEYVAULT_SECRET),
            "partners": {
                "caf-44": Partner(secret=SecretStr(PARTNER_SECRET), source=f"urn:p:{unique}")
            },
        }
    )


async def test_no_secret_in_logs_answers_or_error_pages(
    secret_settings, staff_bearer, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    app = intake_app(secret_settings)

    @app.get("/boom-for-test")
    async def boom() -> None:
        raise RuntimeError(f"failure while holding {PARTNER_SECRET}")

    source = secret_settings.partners["caf-44"].source
    answers = []
    async with serving(app, ready=False, raise_errors=False) as intake:
        body = partner_event(source)
        answers += [
            await intake.post("/api/v1/partner-events", content=body, headers=signed(body)),
            await intake.post(
                "/api/v1/partner-events", content=body, headers=signed(body, secret="forged")
            ),
            await intake.post("/api/v1/requests", json=request_body(), headers=staff_bearer),
            await intake.post("/api/v1/requests", json={"x": 1}, headers=staff_bearer),
            await intake.get("/familles", headers={"Authorization": "Bearer not.a.token"}),
            await intake.get("/boom-for-test"),
            await intake.get("/metrics"),
            await intake.get("/openapi.json"),
        ]
    assert answers[-3].status_code == 500
    seen = "\n".join(a.text + str(a.headers) for a in answers)
    logged = "\n".join(r.getMessage() + str(r.__dict__.get("args")) for r in caplog.records)
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    settings_shown = repr(secret_settings) + secret_settings.model_dump_json()
    for secret in SECRETS:
        assert secret not in seen
        assert secret not in settings_shown
        assert secret not in logged
