"""Schemathesis against every service's OpenAPI: generated and malformed calls (positive and
negative) never get a 5xx, and what comes back matches the documented schema.

Each app runs over real HTTP in a thread (tests/servers.py) on its own database, trusting
the tests' dev issuer; staff endpoints get a token (`ppm-nantes`, or `dpo` for privacy).
"""

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.access_support import make_app, settings_of
from tests.auth_support import DevIssuer
from tests.servers import serve_in_thread

EXAMPLES = 12
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
SKIP = {"/readyz"}  # 503 names what is down: the probe's documented job, not a crash
ACCOUNT = {"privacy": "dpo"}


@pytest.fixture
def served(
    request, infra, unique, dev_issuer, intake_settings, privacy_settings, matching_settings
) -> Iterator[tuple[str, str]]:
    service = request.param
    given = {"intake": intake_settings, "privacy": privacy_settings, "matching": matching_settings}
    base = settings_of(service, infra, unique, dev_issuer, **given).model_copy(
        update={"public_rate_limit": "100000/minute"}
    )
    with serve_in_thread(make_app(service, base), name=service) as url:
        yield service, url


def _token(issuer: DevIssuer, account: str) -> str:
    form = {"grant_type": "password", "username": account, "password": "demo"}
    answer = httpx.post(f"{issuer.url}/token", data=form)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


@pytest.mark.parametrize("served", ["directory", "intake", "matching", "privacy"], indirect=True)
def test_no_generated_call_gets_a_5xx_or_an_undocumented_body(served, dev_issuer) -> None:
    service, url = served
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    headers = {"Authorization": f"Bearer {_token(dev_issuer, ACCOUNT.get(service, 'ppm-nantes'))}"}
    failures: list[str] = []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert operations, service
    for operation in operations:
        if operation.path in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case) -> None:
                case.call_and_validate(base_url=url, headers=headers, checks=CHECKS)

            try:
                call()
            except Unsatisfiable:  # nothing to get wrong (no parameter, no body)
                assert mode is GenerationMode.NEGATIVE, operation.path
            except Exception as exc:
                failures.append(
                    f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"[:1500]
                )
    assert failures == [], "\n\n".join(failures)
