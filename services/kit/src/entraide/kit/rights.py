"""Privacy commands as every service receives them, and the acknowledgement it owes.
Objection and rectification are routed: only a service whose handler has `object` or
`rectify` (the one owning the subject) answers them.

A service implements `RightsHandler` (erase what it holds of a subject, or export it) and
calls `register_rights`: the subscriber parses `entraide.privacy.commands.v1`, calls the
handler and publishes the acknowledgement, keyed by the subject's reference, on
`entraide.privacy.acks.v1`. Handlers are idempotent: a command delivered twice erases
nothing the second time and acknowledges again (with zero counts), which privacy absorbs.
"""

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any, Protocol

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts import new_event
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.contracts.events import (
    AccessAcknowledged,
    AccessRequested,
    ErasureAcknowledged,
    ErasureRequested,
    ObjectionAcknowledged,
    ObjectionRequested,
    PrivacyAck,
    RectificationAcknowledged,
    RectificationRequested,
    RectificationWithdrawn,
    RetentionNoticeDue,
)
from entraide.contracts.topics import PRIVACY_ACKS, PRIVACY_COMMANDS
from entraide.kit import outbox_entries
from entraide.kit.broker import consumer_group, subscriber_options
from entraide.kit.consumers import Event, event_of, subscribe
from entraide.kit.deadletter import PoisonMessageError
from entraide.kit.export_seal import seal_for
from entraide.kit.formats import paris
from entraide.kit.settings import ServiceSettings

log = logging.getLogger(__name__)
Doc = dict[str, Any]


class RightsHandler(Protocol):
    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        """Delete or anonymise what this service holds of the subject; counts per kind."""
        ...

    async def export(self, command: AccessRequested) -> Doc:
        """Everything this service holds of the subject, JSON-serialisable."""
        ...


# A service owning subjects also answers the routed commands, with methods of these
# shapes on its handler (counts per kind of what it changed); one without them stays
# silent: `object(command: ObjectionRequested)` stops the processing objected to,
# `rectify(command: RectificationRequested)` puts the correction in its staff's hands,
# `withdraw_rectification(command: RectificationWithdrawn)` takes it back out of them when
# the officer closed the case without the correction (no acknowledgement is owed).


def register_rights(
    broker: KafkaBroker, handler: RightsHandler, *, settings: ServiceSettings, service: str
) -> None:
    """Subscribe `service` to privacy's commands and acknowledge each one."""

    # A group of its own (subscribers sharing a group rebalance each other at every start),
    # starting at the end when new: privacy resends any command still unanswered, so a new
    # replica need not replay (and re-acknowledge) a month of old commands.
    options = subscriber_options(settings, service) | {
        "group_id": f"{consumer_group(settings, service)}-rights",
        "auto_offset_reset": "latest",
    }

    async def on_privacy_command(event: Event) -> None:
        """Erase or export the subject, then acknowledge with counts (never with values)."""
        ack = await _answer(handler, event.data, service)
        if ack is None:  # routed to the owning service, and this one is not it
            return
        reply = new_event(ack, source=f"/entraide/{service}", subject=ack.subject_ref)
        await broker.publish(
            reply.model_dump_json().encode(),
            PRIVACY_ACKS.name,
            key=ack.subject_ref.encode(),
            headers={"content-type": CONTENT_TYPE},
        )
        counts = getattr(ack, "counts", {})
        log.info(
            "privacy command answered",
            extra={"case_id": ack.case_id, "type": event.type, "counts": counts},
        )

    subscribe(
        broker,
        [PRIVACY_COMMANDS.name],
        title="privacy-commands",
        parse=event_of,
        handle=on_privacy_command,
        options=options,
    )


def register_notices(
    broker: KafkaBroker,
    warn: Callable[[RetentionNoticeDue, date], Awaitable[Any]],
    *,
    settings: ServiceSettings,
    service: str,
) -> None:
    """Subscribe the owner of subjects (intake for families, directory for volunteers) to
    privacy's retention notices: `warn(notice, Paris's today)` sends the warning to the
    person it names, if the service holds them (privacy holds no contact details). The
    other commands on the topic are the rights handler's."""

    async def on_privacy_notice(event: Event) -> None:
        """A retention warning due: sent to the person by their chosen channel."""
        if isinstance(event.data, RetentionNoticeDue):
            await warn(event.data, paris(datetime.now(UTC)).date())

    subscribe(
        broker,
        [PRIVACY_COMMANDS.name],
        title="privacy-notices",
        parse=event_of,
        handle=on_privacy_notice,
        options=subscriber_options(settings, service, "notices"),
    )


async def _answer(handler: RightsHandler, command: Any, service: str) -> PrivacyAck | None:
    now = datetime.now(UTC)
    if isinstance(command, RetentionNoticeDue):  # not a rights command: the owner sends it
        return None
    if isinstance(command, RectificationWithdrawn):  # the owner unflags; nobody answers
        withdraw = getattr(handler, "withdraw_rectification", None)
        if withdraw is not None:
            await withdraw(command)
        return None
    routed = _routed(handler, command)
    if routed is not None:
        ack, act = routed
        if act is None:
            return None
        routed_ack: PrivacyAck = ack(
            case_id=command.case_id,
            subject_ref=command.subject_ref,
            service=service,
            completed_at=now,
            counts=await act(command),
        )
        return routed_ack
    if isinstance(command, ErasureRequested):
        counts = await handler.erase(command)
        return ErasureAcknowledged(
            case_id=command.case_id,
            subject_ref=command.subject_ref,
            service=service,
            completed_at=now,
            counts=counts,
        )
    if isinstance(command, AccessRequested):
        if command.recipient_key is None:
            raise PoisonMessageError("no-recipient-key", "an access command needs the case's key")
        part = await handler.export(command)
        return AccessAcknowledged(
            case_id=command.case_id,
            subject_ref=command.subject_ref,
            service=service,
            completed_at=now,
            sealed_export=seal_for(command.recipient_key, command.case_id, part),
        )
    raise PoisonMessageError("not-a-privacy-command", type(command).__name__)


def _routed(handler: Any, command: Any) -> tuple[type[Any], Any] | None:
    """For an objection or a rectification (routed to the service owning the subject):
    its acknowledgement's type and the handler's method, None where it has none."""
    if isinstance(command, ObjectionRequested):
        return ObjectionAcknowledged, getattr(handler, "object", None)
    if isinstance(command, RectificationRequested):
        return RectificationAcknowledged, getattr(handler, "rectify", None)
    return None


class ReferencedDocuments:
    """A handler for services whose documents name the subject by a reference field.

    Every collection of the database is searched for documents whose `family_ref`,
    `volunteer_ref`, `subject_ref` or `recipient_ref` (the notifier's records) is the
    subject's: erasure deletes them, access exports them. Collections in `keep` are left
    alone (for instance an audit log without personal data), and those whose name starts
    with one of `keep_prefixes` (collections made by the thousand that name no one, such
    as directory's search cards, one per map cell: read each, they would make every
    request's cost grow with the country).
    """

    FIELDS = ("family_ref", "volunteer_ref", "subject_ref", "recipient_ref")

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        *,
        keep: Iterable[str] = (),
        keep_prefixes: Iterable[str] = (),
    ) -> None:
        self.db, self.keep = db, frozenset(keep)
        self.keep_prefixes = tuple(keep_prefixes)

    def _query(self, ref: str) -> Doc:
        return {"$or": [{field: ref} for field in self.FIELDS]}

    async def _collections(self) -> list[str]:
        names = await self.db.list_collection_names()
        kept = ("system.", *self.keep_prefixes)
        return sorted(n for n in names if n not in self.keep and not n.startswith(kept))

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name in await self._collections():
            deleted = await self.db[name].delete_many(self._query(command.subject_ref))
            if deleted.deleted_count:
                counts[name] = deleted.deleted_count
        return counts

    async def export(self, command: AccessRequested) -> Doc:
        part: Doc = {}
        for name in await self._collections():
            docs = await self.db[name].find(self._query(command.subject_ref)).to_list()
            if docs:
                part[name] = [jsonable(_without_outbox(d)) for d in docs]
        return part


def _without_outbox(doc: Doc) -> Doc:
    """A document as the subject reads it: the relay's pending events (the envelopes, their
    trace, their topic) are not data about the person but copies on their way."""
    return {k: v for k, v in doc.items() if k not in outbox_entries.FIELDS}


def jsonable(value: Any) -> Any:
    """A stored document as JSON: dates as ISO 8601, anything else unknown as text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
