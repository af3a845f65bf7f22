"""Asks the services owning contact data which subjects a proved contact names: intake for
families, directory for volunteers (`POST /internal/v1/subjects-by-contact`, a service token
signed with the secret the owner shares with privacy's vault). The contact travels only on
this internal call, never on a topic; the answer is references."""

from collections.abc import Mapping

import httpx

from entraide.contracts.vocab import SubjectKind
from entraide.kit.keyvault_client import service_token
from entraide.privacy.domain.requests_from_people import Contact
from entraide.privacy.usecases.public_requests import OwnersUnavailableError

PATH = "/internal/v1/subjects-by-contact"
OWNER_OF = {SubjectKind.FAMILY: "intake", SubjectKind.VOLUNTEER: "directory"}


class HttpOwners:
    """The `Owners` port over HTTP; `transports` lets tests reach in-process apps."""

    def __init__(
        self,
        urls: Mapping[str, str],
        secrets: Mapping[str, str],
        *,
        timeout: float = 5.0,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self.urls, self.secrets, self.timeout = dict(urls), dict(secrets), timeout
        self.transports = dict(transports or {})

    async def subjects_of(self, contact: Contact, kind: SubjectKind) -> list[str]:
        owner = OWNER_OF.get(kind)
        if owner is None or owner not in self.urls or owner not in self.secrets:
            return []
        token = service_token("privacy", self.secrets[owner])
        body = {"channel": contact.channel.value, "value": contact.value}
        async with httpx.AsyncClient(
            base_url=self.urls[owner], timeout=self.timeout, transport=self.transports.get(owner)
        ) as client:
            try:
                answer = await client.post(
                    PATH, json=body, headers={"Authorization": f"Bearer {token}"}
                )
                answer.raise_for_status()
            except httpx.HTTPError as exc:
                raise OwnersUnavailableError(f"{owner}: {type(exc).__name__}") from None
        return [str(ref) for ref in answer.json()["subject_refs"]]
