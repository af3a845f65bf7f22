"""A volunteer who leaves asks privacy to erase them: `POST /internal/v1/erasure-requests`
on privacy, with directory's service token (the secret it shares with the key vault).

The wish is kept first (`volunteer_erasures`, by reference: nothing else; `keep`, before
the volunteer is marked left), so privacy down at that moment, or directory stopping,
loses nothing: `resend` asks again now and then until privacy has answered. The erasure
command privacy then sends deletes this record with the rest.
"""

import enum
import logging
from datetime import UTC, datetime
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.keyvault_client import service_token

log = logging.getLogger(__name__)
PATH = "/internal/v1/erasure-requests"
Doc = dict[str, Any]


class Asked(enum.Enum):
    """What asking privacy for one wish came to."""

    ANSWERED = "answered"  # a case opened (or found): recorded
    REFUSED = "refused"  # a 4xx for this wish: asked again at the next pass
    DOWN = "down"  # unreachable or a 5xx: no use asking for the others now


class PrivacyErasure:
    """`volunteer_space.LeavingRequests` over privacy's internal API."""

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        privacy_url: str,
        secret: str,
        *,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.collection = db["volunteer_erasures"]
        self.privacy_url, self.secret = privacy_url, secret
        self.timeout, self.transport = timeout, transport

    async def keep(self, volunteer_ref: str) -> None:
        await self.collection.update_one(
            {"_id": volunteer_ref},
            {
                "$setOnInsert": {"volunteer_ref": volunteer_ref, "asked_at": datetime.now(UTC)},
                "$set": {"answered": False},
            },
            upsert=True,
        )

    async def erase(self, volunteer_ref: str) -> None:
        await self.keep(volunteer_ref)
        async with self._client() as client:
            await self._ask(client, volunteer_ref)

    async def resend(self) -> int:
        """Ask again for the wishes privacy has not answered, the oldest first; how many it
        answered now. The pass stops when privacy is down (unreachable, or a 5xx): asking
        each of thousands, a timeout apiece, would hold the pass for hours. A wish privacy
        refuses (a 4xx) waits for the next pass without holding up the others."""
        answered = 0
        pending = self.collection.find({"answered": False}, {"_id": 1}).sort("asked_at", 1)
        async with self._client() as client:
            async for doc in pending:
                outcome = await self._ask(client, str(doc["_id"]))
                if outcome is Asked.DOWN:
                    break
                answered += outcome is Asked.ANSWERED
        return answered

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.privacy_url, timeout=self.timeout, transport=self.transport
        )

    async def _ask(self, client: httpx.AsyncClient, volunteer_ref: str) -> Asked:
        token = service_token("directory", self.secret)
        body = {"subject_ref": volunteer_ref, "subject_kind": "volunteer"}
        try:
            answer = await client.post(
                PATH, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            answer.raise_for_status()
        except httpx.HTTPError as exc:
            raise_if_cancelling(exc)
            refused = isinstance(exc, httpx.HTTPStatusError) and exc.response.is_client_error
            log.warning(
                "erasure request not answered: asked again later",
                extra={"error": type(exc).__name__},
            )
            return Asked.REFUSED if refused else Asked.DOWN
        case = answer.json()
        await self.collection.update_one(
            {"_id": volunteer_ref},
            {
                "$set": {
                    "answered": True,
                    "status": case.get("status"),
                    "case_id": case.get("case_id"),
                }
            },
        )
        return Asked.ANSWERED
