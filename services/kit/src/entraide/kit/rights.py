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
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
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

    Each service declares where: `refs`, the fields naming a subject collection by
    collection (`{"matches": ("family_ref",)}`: one of FIELDS, the notifier's
    `recipient_ref` included), and `keyed`, the collections whose `_id` is made of the
    reference (`{"places": "volunteer:{}"}`). Erasure deletes, access exports what one
    query per declared field finds, each on an index (`ensure_indexes`, a startup step):
    never the database listed, never a collection scanned (the `$or` of every field over
    every collection was a full scan of each per command, thousands a day at national
    scale). `keep` and `keep_prefixes` name the collections that name no one by
    declaration (an audit log without personal data; collections made by the thousand,
    such as directory's search cards, one per map cell): never read here, and left out of
    the tests' check that every collection a service writes a reference field into is
    declared (`tests/rights_support.py`, run as each app stops in the integration tests).
    """

    FIELDS = ("family_ref", "volunteer_ref", "subject_ref", "recipient_ref")

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        *,
        refs: Mapping[str, Sequence[str]],
        keyed: Mapping[str, str] | None = None,
        keep: Iterable[str] = (),
        keep_prefixes: Iterable[str] = (),
    ) -> None:
        self.db, self.refs, self.keyed = db, dict(refs), dict(keyed or {})
        self.keep, self.keep_prefixes = frozenset(keep), tuple(keep_prefixes)

    def _queries(self, ref: str) -> list[tuple[str, Doc]]:
        """(collection, query) for each declared place of the reference, by collection."""
        named = [(name, {field: ref}) for name, fields in self.refs.items() for field in fields]
        keyed = [(name, {"_id": form.format(ref)}) for name, form in self.keyed.items()]
        return sorted(named + keyed, key=lambda asked: asked[0])

    async def ensure_indexes(self) -> None:
        """An index on each declared field, unless one is already led by it (the
        adapter's own, sparse where most of its documents lack the field)."""
        for name, fields in self.refs.items():
            collection = self.db[name]
            led = {
                next(iter(index["key"]))
                async for index in await collection.list_indexes()
                if "partialFilterExpression" not in index
            }
            for field in fields:
                if field not in led:
                    await collection.create_index(field)

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name, query in self._queries(command.subject_ref):
            deleted = await self.db[name].delete_many(query)
            if deleted.deleted_count:
                counts[name] = counts.get(name, 0) + deleted.deleted_count
        return counts

    async def export(self, command: AccessRequested) -> Doc:
        found: dict[str, dict[Any, Doc]] = {}
        for name, query in self._queries(command.subject_ref):
            for doc in await self.db[name].find(query).to_list():  # one by two fields: once
                found.setdefault(name, {})[doc["_id"]] = doc
        return {
            name: [jsonable(_without_outbox(d)) for d in docs.values()]
            for name, docs in found.items()
        }


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
