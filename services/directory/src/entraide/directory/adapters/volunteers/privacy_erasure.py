"""A volunteer who leaves asks privacy to erase them: `POST /internal/v1/erasure-requests`
on privacy, with directory's service token (the secret it shares with the key vault).

The wish is kept first (`volunteer_erasures`, by reference: nothing else), so privacy
down at that moment loses nothing: `resend` asks again now and then until privacy has
answered. The erasure command privacy then sends deletes this record with the rest.
"""

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

    async def erase(self, volunteer_ref: str) -> None:
        await self.collection.update_one(
            {"_id": volunteer_ref},
            {
                "$setOnInsert": {"volunteer_ref": volunteer_ref, "asked_at": datetime.now(UTC)},
                "$set": {"answered": False},
            },
            upsert=True,
        )
        await self._ask(volunteer_ref)

    async def resend(self) -> int:
        """Ask again for every wish privacy has not answered; how many it answered now."""
        pending = await self.collection.find({"answered": False}, {"_id": 1}).to_list()
        answered = 0
        for doc in pending:
            answered += await self._ask(str(doc["_id"]))
        return answered

    async def _ask(self, volunteer_ref: str) -> bool:
        token = service_token("directory", self.secret)
        body = {"subject_ref": volunteer_ref, "subject_kind": "volunteer"}
        try:
            async with httpx.AsyncClient(
                base_url=self.privacy_url, timeout=self.timeout, transport=self.transport
            ) as client:
                answer = await client.post(
                    PATH, json=body, headers={"Authorization": f"Bearer {token}"}
                )
            answer.raise_for_status()
        except httpx.HTTPError as exc:
            raise_if_cancelling(exc)
            log.warning(
                "erasure request not answered: asked again later",
                extra={"error": type(exc).__name__},
            )
            return False
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
        return True
