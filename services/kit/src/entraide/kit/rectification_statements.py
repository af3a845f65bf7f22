"""What a person wrote to the data-protection officer is wrong in their data, and what to
write instead (a rectification's statement, GDPR art. 16): asked of privacy by the service
holding the record when its staff open it (`GET /internal/v1/rectifications/{case_id}/statement`,
the service's token: intake for a family, directory for a volunteer).

The owner keeps none of it: privacy holds it sealed until the case closes, so it never
travels on a topic and is forgotten everywhere at once. Privacy unreachable, the page says
so and the correction goes on as before (with the person)."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx

from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.keyvault_client import service_token

log = logging.getLogger(__name__)
PATH = "/internal/v1/rectifications/{case_id}/statement"


@dataclass(frozen=True)
class Said:
    texts: list[str] = field(default_factory=list)  # one per case that has words
    unavailable: bool = False  # privacy did not answer: the words could not be read


class PrivacyStatements:
    """The statements of a record's flagged rectification cases, over privacy's API."""

    def __init__(
        self,
        service: str,
        privacy_url: str,
        secret: str,
        *,
        timeout: float = 3.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.service, self.privacy_url, self.secret = service, privacy_url, secret
        self.timeout, self.transport = timeout, transport

    async def of(self, case_ids: Iterable[str]) -> Said:
        asked = list(case_ids)
        if not asked:
            return Said()
        token = service_token(self.service, self.secret)
        texts = []
        try:
            async with httpx.AsyncClient(
                base_url=self.privacy_url, timeout=self.timeout, transport=self.transport
            ) as client:
                for case_id in asked:
                    answer = await client.get(
                        PATH.format(case_id=case_id), headers={"Authorization": f"Bearer {token}"}
                    )
                    if answer.status_code == 404:  # a case privacy no longer knows
                        continue
                    answer.raise_for_status()
                    if text := answer.json().get("statement"):
                        texts.append(str(text))
        except httpx.HTTPError as exc:
            raise_if_cancelling(exc)
            log.warning("a rectification's words not read", extra={"error": type(exc).__name__})
            return Said(texts, unavailable=True)
        return Said(texts)
