"""The `person_requests` collection: rights requests sent through the public form (keyed
hashes of the contact, the address and the code; never the contact)."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.requests_from_people import Channel, PersonRequest, Status

Doc = dict[str, Any]


class MongoPersonRequests:
    """The `PersonRequests` port."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.requests = db["person_requests"]

    async def ensure_indexes(self) -> None:
        await self.requests.create_index([("contact_hash", ASCENDING), ("created_at", ASCENDING)])
        await self.requests.create_index([("address_hash", ASCENDING), ("created_at", ASCENDING)])
        await self.requests.create_index([("status", ASCENDING)])

    async def add(self, request: PersonRequest) -> None:
        await self.requests.insert_one(_doc(request))

    async def get(self, request_id: str) -> PersonRequest | None:
        found = await self.requests.find_one({"_id": request_id})
        return None if found is None else _request(found)

    async def save(self, request: PersonRequest) -> None:
        await self.requests.replace_one({"_id": request.request_id}, _doc(request))

    async def started_since(
        self, *, contact_hash: str, address_hash: str, since: datetime
    ) -> tuple[int, int]:
        recent = {"created_at": {"$gte": since}}
        by_contact = await self.requests.count_documents({"contact_hash": contact_hash} | recent)
        by_address = await self.requests.count_documents({"address_hash": address_hash} | recent)
        return by_contact, by_address

    async def awaiting_answer(self) -> list[PersonRequest]:
        query = {"status": Status.PROVEN.value, "link_sent_at": None}
        found = await self.requests.find(query).to_list()
        return [_request(d) for d in found if d.get("case_ids")]

    async def stale(self, before: datetime) -> list[PersonRequest]:
        return await self._expired(Status.WAITING, before)

    async def opening(self, before: datetime) -> list[PersonRequest]:
        return await self._expired(Status.OPENING, before)

    async def _expired(self, status: Status, before: datetime) -> list[PersonRequest]:
        query = {"status": status.value, "expires_at": {"$lt": before}}
        return [_request(d) for d in await self.requests.find(query).to_list()]


def _doc(request: PersonRequest) -> Doc:
    doc = asdict(request)
    doc["_id"] = doc.pop("request_id")
    doc["case_ids"], doc["opening"] = list(request.case_ids), list(request.opening)
    for name in ("kind", "subject_kind", "channel", "status"):
        doc[name] = doc[name].value
    return doc


def _request(doc: Doc) -> PersonRequest:
    return PersonRequest(
        request_id=doc["_id"],
        kind=CaseKind(doc["kind"]),
        subject_kind=SubjectKind(doc["subject_kind"]),
        channel=Channel(doc["channel"]),
        contact_hash=doc["contact_hash"],
        address_hash=doc["address_hash"],
        code_hash=doc["code_hash"],
        created_at=doc["created_at"],
        expires_at=doc["expires_at"],
        attempts=doc.get("attempts", 0),
        status=Status(doc["status"]),
        case_ids=tuple(doc.get("case_ids", ())),
        follow_up=doc.get("follow_up"),
        link_sent_at=doc.get("link_sent_at"),
        language=doc.get("language", "fr"),
        opening=tuple(doc.get("opening", ())),
    )
