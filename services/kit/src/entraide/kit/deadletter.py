"""Retry with backoff, then dead-letter: no message is lost and none blocks its partition.

A message whose handler keeps failing is copied to `<topic>.dlq` with headers that say
why, then acknowledged. If even the dead-letter publish fails the error propagates, the
subscriber's NACK_ON_ERROR policy seeks back, and the message comes again.

A batch subscriber (`batch=True`) goes through the same retries as a whole; a batch that
still fails is dead-lettered record by record. Its handler sends the records it finds
poisonous itself (`dead_letters_of(broker).send(record, exc)`) and stores the rest.
"""

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from faststream import BaseMiddleware
from pydantic import ValidationError
from pymongo.errors import ConnectionFailure
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from entraide.contracts.envelope import UnknownEventTypeError
from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.outages import OUTAGES, STORE, DependencyUnavailableError

if TYPE_CHECKING:
    from faststream._internal.context.repository import ContextRepo
    from faststream.kafka import KafkaBroker
    from faststream.message import StreamMessage
    from prometheus_client import Counter

log = logging.getLogger(__name__)

HEADER_PREFIX = "x-dlq-"


class PoisonMessageError(Exception):
    """A message that no retry can fix; raise it from a handler to dead-letter at once."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


PERMANENT = (
    PoisonMessageError,
    ValidationError,
    UnknownEventTypeError,
    UnicodeDecodeError,
    json.JSONDecodeError,
)


def describe(exc: BaseException) -> tuple[str, str]:
    """A machine-readable reason and a detail that carries no personal data."""
    if isinstance(exc, PoisonMessageError):
        return exc.reason, exc.detail
    if isinstance(exc, ValidationError) and all(
        err["type"] == "json_invalid" for err in exc.errors(include_input=False)
    ):
        return "not-json", "the message is not valid JSON"
    if isinstance(exc, ValidationError):
        fields = [
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        ]
        return "invalid-event", "; ".join(fields)[:1000]
    if isinstance(exc, UnknownEventTypeError):
        return "unknown-event-type", str(exc)[:200]
    if isinstance(exc, UnicodeDecodeError | json.JSONDecodeError):
        return "not-json", type(exc).__name__
    # Other exception texts may quote stored values: keep only the class name.
    return "handler-failed", type(exc).__name__


class RetryThenDeadLetter:
    """Broker middleware factory: `broker.add_middleware(RetryThenDeadLetter(broker, ...))`."""

    def __init__(
        self,
        broker: "KafkaBroker",
        *,
        attempts: int,
        backoff_seconds: float,
        group: str,
        counter: "Counter | None" = None,
    ) -> None:
        self.broker = broker
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.group = group
        self.counter = counter  # entraide_dead_letters_total{topic, reason}

    def __call__(self, msg: Any, /, *, context: "ContextRepo") -> "_RetryScope":
        return _RetryScope(msg, context=context, policy=self)

    async def send(
        self, record: Any, exc: BaseException, attempts: int = 1, *, group: str | None = None
    ) -> None:
        """Copy one consumed record to `<topic>.dlq` with headers saying why.

        `group` is the consumer group that gave up (the subscriber's own, which the replay's
        `--consumer-group` selects); the service's main group when not given."""
        reason, detail = describe(exc)
        headers = {
            k: v.decode("utf-8", "replace")
            for k, v in (record.headers or ())
            if not k.startswith(HEADER_PREFIX)
        }
        headers |= {
            f"{HEADER_PREFIX}reason": reason,
            f"{HEADER_PREFIX}detail": detail,
            f"{HEADER_PREFIX}original-topic": record.topic,
            f"{HEADER_PREFIX}original-partition": str(record.partition),
            f"{HEADER_PREFIX}original-offset": str(record.offset),
            f"{HEADER_PREFIX}consumer-group": group or self.group,
            f"{HEADER_PREFIX}attempts": str(attempts),
            f"{HEADER_PREFIX}failed-at": datetime.now(UTC).isoformat(),
        }
        await self.broker.publish(
            record.value or b"", f"{record.topic}.dlq", key=record.key, headers=headers
        )
        if self.counter is not None:
            self.counter.labels(topic=record.topic, reason=reason).inc()
        log.warning(
            "message dead-lettered",
            extra={
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "reason": reason,
                "attempts": attempts,
            },
        )


class _RetryScope(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: "ContextRepo", policy: RetryThenDeadLetter) -> None:
        super().__init__(msg, context=context)
        self.policy = policy

    async def consume_scope(self, call_next: Any, msg: "StreamMessage[Any]") -> Any:
        policy = self.policy
        while True:
            retrying = AsyncRetrying(
                stop=stop_after_attempt(policy.attempts),
                wait=wait_exponential(multiplier=policy.backoff_seconds, max=30),
                # tenacity catches BaseException: a cancelled handler (a shutdown) is not
                # tried again, nor waited for as an outage, nor dead-lettered
                retry=retry_if_not_exception_type((*PERMANENT, asyncio.CancelledError)),
                reraise=False,
            )
            try:
                return await retrying(call_next, msg)
            except RetryError as exhausted:
                failure = exhausted.last_attempt.exception()
            except PERMANENT as poison:
                failure = poison
            if failure is not None:
                raise_if_cancelling(failure)
            if not isinstance(failure, ConnectionFailure | DependencyUnavailableError):
                break
            # The database or the key vault is away: the message is fine, so it waits (uncommitted,
            # the partition paused behind it) rather than becoming a dead letter.
            if isinstance(failure, DependencyUnavailableError):
                OUTAGES.broken(failure.component, failure.reason)  # logged once per outage
            else:
                OUTAGES.broken(STORE, type(failure).__name__)
            await asyncio.sleep(5)
        attempts = retrying.statistics.get("attempt_number", 1)
        await self._dead_letter(msg, failure or RuntimeError("unknown"), attempts)
        return None

    async def _dead_letter(
        self, msg: "StreamMessage[Any]", exc: BaseException, attempts: int
    ) -> None:
        raw = msg.raw_message
        # the subscriber handling the message (FastStream's context): its group, not the service's
        group = getattr(self.context.get("handler_"), "group_id", None)
        for record in raw if isinstance(raw, tuple) else (raw,):
            await self.policy.send(record, exc, attempts, group=group)


def dead_letters_of(broker: "KafkaBroker") -> RetryThenDeadLetter:
    """The broker's retry-then-dead-letter policy (`make_broker` installs one)."""
    for middleware in broker.middlewares:
        if isinstance(middleware, RetryThenDeadLetter):
            return middleware
    raise LookupError("the broker has no RetryThenDeadLetter middleware")
