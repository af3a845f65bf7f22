"""The notifier: every send recorded in the calling service's database (`notifications`),
sent by e-mail or SMS, retried with backoff, never twice for one key.

The record (`_id` = the notification's key, so a redelivered event finds it and sends
nothing more): template, channel, recipient_ref, created_at, due_at, attempts, outcome
(`pending`, `sent`, `failed`), sent_at, the last failure's reason. The address and the
template's context are personal data: they are kept sealed (`seal.py`) while the message
is pending, and removed once it is sent or given up, so the store keeps what was sent,
to whom as a reference and when, never where or what. `forget` deletes a subject's
records when it is erased (a message held for the morning is not sent).

A send is tried at once (a few quick tries, tenacity), unless the quiet hours hold an SMS;
what is left is due later (backoff doubling from `backoff` up to `max_backoff`) and the
background loop (`deliver_due`, `running`) sends it. A lease on the record keeps two
replicas from sending it together. An error the notifier does not know counts as a try
too (its kind kept, never its text), so no record is tried for ever nor stops the pass.
After `attempts` tries it is `failed`, and reported
(a warning naming the key and template; the `entraide_notifications_total` counter).
Logs name the key, template and channel: never the address or the text.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from entraide.kit import loops
from entraide.kit.metrics import NOTIFICATIONS
from entraide.kit.notifications import FRENCH, Channel, Notification
from entraide.kit.notifications.quiet import QuietHours
from entraide.kit.notifications.seal import Seal
from entraide.kit.notifications.senders import PermanentSendError, Sender, TemporarySendError
from entraide.kit.notifications.templates import Renderer

log = logging.getLogger(__name__)
Doc = dict[str, Any]
PENDING, SENT, FAILED = "pending", "sent", "failed"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_COUNTERS: dict[int, Counter] = {}


def _counter(registry: CollectorRegistry) -> Counter:
    if id(registry) not in _COUNTERS:
        _COUNTERS[id(registry)] = Counter(
            NOTIFICATIONS.removesuffix("_total"),
            "Notifications by template, channel and outcome (sent, held, retried, failed).",
            ["template", "channel", "outcome"],
            registry=registry,
        )
    return _COUNTERS[id(registry)]


class MongoNotifier:
    """`Notifier` on the service's own database."""

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        senders: Mapping[Channel, Sender],
        *,
        seal: Seal,
        quiet: QuietHours | None = None,
        attempts: int = 6,
        backoff: timedelta = timedelta(seconds=30),
        max_backoff: timedelta = timedelta(hours=1),
        quick_tries: int = 3,
        quick_wait: float = 0.5,
        lease: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        registry: CollectorRegistry = REGISTRY,
    ) -> None:
        self.records: AsyncCollection[Doc] = db["notifications"]
        self.senders, self.seal = dict(senders), seal
        self.quiet = quiet or QuietHours()
        self.attempts, self.backoff, self.max_backoff = attempts, backoff, max_backoff
        self.quick_tries, self.quick_wait = quick_tries, quick_wait
        self.lease, self.clock = lease, clock
        self.renderer = Renderer()
        self.counted = _counter(registry)
        self._wake = asyncio.Event()

    async def ensure_indexes(self) -> None:
        await self.records.create_index([("outcome", ASCENDING), ("due_at", ASCENDING)])
        await self.records.create_index([("recipient_ref", ASCENDING)])

    async def notify(self, notification: Notification) -> None:
        """Record it and send it now if it may go; a key already recorded changes nothing."""
        self.renderer.render(  # a missing value fails here, not later in the sender loop
            notification.template,
            notification.channel,
            {**notification.context},
            notification.language,
        )
        now = self.clock()
        due = self.quiet.next_allowed(notification.channel, now)
        sealed = self.seal.seal(
            notification.key, {"to": notification.to, "context": dict(notification.context)}
        )
        try:
            await self.records.insert_one(
                {
                    "_id": notification.key,
                    "template": notification.template,
                    "channel": notification.channel.value,
                    "language": notification.language,
                    "recipient_ref": notification.recipient_ref,
                    "created_at": now,
                    "due_at": due,
                    "attempts": 0,
                    "outcome": PENDING,
                    "lease_until": EPOCH,
                    "sealed": sealed,
                }
            )
        except DuplicateKeyError:
            log.info("notification already recorded", extra={"key": notification.key})
            return
        if due > now:
            self.counted.labels(notification.template, notification.channel.value, "held").inc()
            log.info(
                "notification held until the quiet hours end",
                extra={"key": notification.key, "template": notification.template},
            )
            return
        await self._attempt(notification.key)

    async def deliver_due(self) -> int:
        """Send what is due now (held by quiet hours, or waiting for a retry); how many
        were tried."""
        tried = 0
        while (doc := await self._lease({"due_at": {"$lte": self.clock()}})) is not None:
            await self._send(doc)
            tried += 1
        return tried

    async def forget(self, recipient_ref: str) -> int:
        """A subject is erased: its records go, pending ones (and their sealed address)
        with them, so nothing is sent to it afterwards; how many were deleted."""
        result = await self.records.delete_many({"recipient_ref": recipient_ref})
        return result.deleted_count

    def wake(self) -> None:
        self._wake.set()

    def running(self, every_seconds: float = 30.0) -> contextlib.AbstractAsyncContextManager[None]:
        """The background loop (what is due, at once when woken), for the app's lifespan."""
        loop = loops.Periodic(
            self.deliver_due,
            every_seconds,
            name="notifications",
            wake=self._wake,
            starting=self.ensure_indexes,  # the store away: the rounds still run
        )
        return loops.running(loop)

    def lifespan(self, _app: Any) -> contextlib.AbstractAsyncContextManager[None]:
        """`running()` as a lifespan for `service_app`."""
        return self.running()

    async def _attempt(self, key: str) -> None:
        doc = await self._lease({"_id": key, "due_at": {"$lte": self.clock()}})
        if doc is not None:
            await self._send(doc)

    async def _lease(self, query: Doc) -> Doc | None:
        now = self.clock()
        return await self.records.find_one_and_update(
            {**query, "outcome": PENDING, "lease_until": {"$lte": now}},
            {"$set": {"lease_until": now + self.lease}, "$inc": {"attempts": 1}},
            sort=[("due_at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )

    async def _send(self, doc: Doc) -> None:
        key, template, channel = doc["_id"], doc["template"], Channel(doc["channel"])
        labels = (template, channel.value)
        try:
            if channel not in self.senders:
                raise PermanentSendError(f"no {channel.value} sender configured")
            opened = self.seal.open(key, doc["sealed"])
            message = self.renderer.render(
                template, channel, opened["context"], doc.get("language", FRENCH)
            )
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.quick_tries),
                wait=wait_exponential(multiplier=self.quick_wait, max=10 * self.quick_wait),
                retry=retry_if_exception_type(TemporarySendError),
                reraise=True,
            ):
                with attempt:
                    await self.senders[channel].send(opened["to"], message)
        except TemporarySendError as error:
            await self._later(doc, str(error))
            return
        except (PermanentSendError, KeyError, LookupError) as error:
            await self._give_up(doc, f"{type(error).__name__}: {error}")
            return
        except Exception as error:  # unknown (a bug, a library's own): tried again, not for
            # ever, nor stopping the pass; its kind only, its text may name the address
            await self._later(doc, type(error).__name__)
            return
        await self.records.update_one(
            {"_id": key},
            {
                "$set": {"outcome": SENT, "sent_at": self.clock(), "lease_until": EPOCH},
                "$unset": {"sealed": "", "reason": ""},
            },
        )
        self.counted.labels(*labels, SENT).inc()
        log.info("notification sent", extra={"key": key, "template": template, "channel": channel})

    async def _later(self, doc: Doc, reason: str) -> None:
        if doc["attempts"] >= self.attempts:
            await self._give_up(doc, reason)
            return
        wait = min(self.backoff * 2 ** (doc["attempts"] - 1), self.max_backoff)
        due = self.quiet.next_allowed(Channel(doc["channel"]), self.clock() + wait)
        await self.records.update_one(
            {"_id": doc["_id"]},
            {"$set": {"due_at": due, "reason": reason, "lease_until": EPOCH}},
        )
        self.counted.labels(doc["template"], doc["channel"], "retried").inc()
        log.info(
            "notification to be tried again",
            extra={"key": doc["_id"], "template": doc["template"], "reason": reason},
        )

    async def _give_up(self, doc: Doc, reason: str) -> None:
        await self.records.update_one(
            {"_id": doc["_id"]},
            {
                "$set": {"outcome": FAILED, "reason": reason, "failed_at": self.clock()},
                "$unset": {"sealed": ""},
            },
        )
        self.counted.labels(doc["template"], doc["channel"], FAILED).inc()
        log.warning(
            "notification failed for good",
            extra={"key": doc["_id"], "template": doc["template"], "reason": reason},
        )
