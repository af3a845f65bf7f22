"""Directory's answer to privacy's commands (erasure, access) for a volunteer.

Added by the privacy work (issue 6): every document naming the volunteer's reference is
deleted or exported (the kit's `ReferencedDocuments`, in the collections `REFS` declares,
each field indexed at start), and the volunteer's own data key is destroyed first, so any
copy left behind (a backup, a log) stays unreadable (privacy's vault destroys it again,
with every other key of the subject, when the case closes).

An erased volunteer matching heard of gets a tombstone on the compacted volunteers topic
(their reference as key, a null value): without it the topic kept their last
availability for good, and a matching rebuilt from it proposed them again. It goes
through directory's outbox (`volunteers.tombstones`: Kafka down loses nothing; it holds
the key, nothing else of them): held before the volunteer's document is deleted,
released after. The document is deleted once no relay is sending its events, so the
tombstone comes after any event of theirs already on its way; those not yet published
go with the document (nothing of an erased volunteer reaches matching or the observatory
afterwards). A volunteer who left, their leaving's events (its tombstone with them) out
already, gets none again. A command delivered again finds no volunteer: it writes no
tombstone, only releases one a crash left held. Matching hears of the erasure itself
too, from privacy's command; the tombstone then finds nothing left there to remove.

A volunteer's objection and rectification come to directory alone (it owns volunteers):
noted on the record for their association's staff, an approved volunteer who objects
paused (`usecases.volunteer_rights`).

The access export is what the volunteer reads: their record with their identity opened
(not its sealed copy), the messages sent to them, their wish to leave; not the keyed
hashes directory finds them by (their address's, their sign-in links'), which say nothing
about them.
"""

from collections.abc import Callable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.events import (
    AccessRequested,
    ErasureRequested,
    ObjectionRequested,
    RectificationRequested,
    RectificationWithdrawn,
)
from entraide.contracts.vocab import SubjectKind
from entraide.directory.adapters.offers import store as offer_store
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.adapters.volunteers.tombstones import VolunteerTombstones
from entraide.directory.domain.records import Tombstone
from entraide.directory.domain.volunteers.rules import Status, tombstone_owed
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.usecases.ports import VolunteerKeyStore
from entraide.directory.usecases.volunteer_rights import VolunteerRights
from entraide.kit.rights import ReferencedDocuments, jsonable

Doc = dict[str, Any]
# the collections as the volunteer's export names them, in this order (one that is new
# keeps its collection's name)
PARTS = {"volunteers": "volunteer", "notifications": "messages", "volunteer_erasures": "leaving"}
# keyed hashes (their address's, their sign-in links'): how directory finds them, not data
# about them
HASHES = ("volunteer_lookups", "volunteer_links")
# a message's record without its sealed address and text (while it waits), the senders'
# lease and their technical error
UNSAID = frozenset({"sealed", "lease_until", "reason"})
# renamed where the field's name means something else in another service's part: a
# request's `channel` is who recorded it, a message's how it was sent; a volunteer's
# `status` is their application's
RENAMED = {"channel": "medium", "status": "application"}
# the rectification cases their staff corrected: privacy's own part lists its cases and
# how each closed; a status's news still owed and its marker, the store's own note (the
# message itself is in `messages` once the notifier records it)
UNEXPORTED = frozenset({"rectifications_done", "news_owed", "news_owing"})
# where directory names a volunteer: their record, their supports heard from matching,
# their address's and sign-in links' hashes, their wish to leave, the messages sent them
REFS = {
    "volunteers": ("volunteer_ref",),
    "volunteer_supports": ("volunteer_ref",),
    "volunteer_lookups": ("volunteer_ref",),
    "volunteer_links": ("volunteer_ref",),
    "volunteer_erasures": ("volunteer_ref",),
    "notifications": ("recipient_ref",),
}


class DirectoryRights(ReferencedDocuments):
    """Also a volunteer's objection and rectification: directory owns volunteers, so
    privacy routes those to it (`usecases.volunteer_rights`)."""

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        keys: VolunteerKeyStore,
        requests: VolunteerRights,
        volunteers: VolunteerStore,
        tombstones: VolunteerTombstones,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        # the tombstones name no one by a field; kept out all the same: not data about the
        # volunteer, and never deleted before they are out. The search cards (offers, by
        # the thousand cells across the country) and their counts name no one either
        super().__init__(
            db,
            refs=REFS,
            keep=[tombstones.collection.name, offer_store.VERSIONS],
            keep_prefixes=[offer_store.CELL, offer_store.DEPARTEMENT],
        )
        self.keys, self.requests = keys, requests
        self.volunteers, self.tombstones, self.wake = volunteers, tombstones, wake

    async def object(self, command: ObjectionRequested) -> dict[str, int]:
        if command.subject_kind is not SubjectKind.VOLUNTEER:
            return {}
        return await self.requests.object(command.subject_ref, command.case_id)

    async def rectify(self, command: RectificationRequested) -> dict[str, int]:
        if command.subject_kind is not SubjectKind.VOLUNTEER:
            return {}
        return await self.requests.rectify(command.subject_ref, command.case_id)

    async def withdraw_rectification(self, command: RectificationWithdrawn) -> None:
        if command.subject_kind is SubjectKind.VOLUNTEER:
            await self.requests.withdraw_rectification(command.subject_ref, command.case_id)

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        ref = command.subject_ref
        volunteer = await self._volunteer(command.subject_kind, ref)
        own: dict[str, int] = {}
        if volunteer is not None:
            await self.tombstones.hold(Tombstone(ref))  # before: a crash after it is kept
            await self.keys.destroy(volunteer["_id"])
            own["keys"] = 1
            deleted = await self.volunteers.erase(volunteer["_id"])
            if deleted is not None:
                own["volunteers"] = 1
                all_published = not deleted.get("outbox_pending")
                if not tombstone_owed(Status(deleted["status"]), all_published=all_published):
                    await self.tombstones.drop(ref)
        counts = await super().erase(command) | own
        if command.subject_kind is SubjectKind.VOLUNTEER and await self.tombstones.release(ref):
            self.wake()
        return counts

    async def export(self, command: AccessRequested) -> Doc:
        held = await super().export(command)
        for name in HASHES:
            held.pop(name, None)
        part = {PARTS[name]: held.pop(name) for name in PARTS if name in held} | held
        if "messages" in part:
            part["messages"] = [_said(message) for message in part["messages"]]
        if "volunteer" in part:  # one record per reference (a unique index)
            part["volunteer"] = await self._record(part["volunteer"][0])
        return part

    async def _record(self, exported: Doc) -> Doc:
        """The volunteer's record, their identity opened (gone with their key: left out)."""
        key = await self.keys.existing(exported["_id"])
        record: Doc = {}
        for field, value in exported.items():
            if field in UNEXPORTED:
                continue
            if field != "identity":
                record[_renamed(field)] = value
            elif key is not None:
                record["identity"] = jsonable(unseal(key, exported["_id"], value))
        return record

    async def _volunteer(self, kind: SubjectKind, ref: str) -> Doc | None:
        if kind != SubjectKind.VOLUNTEER:
            return None
        return await self.db["volunteers"].find_one({"volunteer_ref": ref})


def _said(message: Doc) -> Doc:
    return {_renamed(k): v for k, v in message.items() if k not in UNSAID}


def _renamed(field: str) -> str:
    return RENAMED.get(field, field)
