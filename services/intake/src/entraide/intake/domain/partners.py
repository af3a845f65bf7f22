"""The partners: their credentials and quotas, how they sign, and whose family an event is.

Partners (CAF, département social services, associations' own tools) send a CloudEvents
1.0 JSON event (`entrypoints.partner_event`), by Kafka or by HTTP. Both doors record it
with an id derived from (source, id), so the same partner event twice is one request.
"""

import hashlib
import hmac
import math
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class Quota(BaseModel):
    """What one partner may send through the HTTP door, every signed request counted
    (events, consent changes, status reads): `burst` at once, then `per_minute` a minute.

    A token bucket: `burst` tokens, one more every 60/`per_minute` seconds. The defaults
    (600 a minute, 100 at once) let a CAF's morning batch of 2,000 events through in about
    three minutes, its client waiting `Retry-After` when told to."""

    model_config = ConfigDict(frozen=True)

    per_minute: int = Field(600, ge=1, le=600_000, description="Sustained requests a minute.")
    burst: int = Field(100, ge=1, le=100_000, description="Requests accepted at once.")

    @property
    def interval_s(self) -> float:
        """One token's worth of time."""
        return 60.0 / self.per_minute

    @property
    def tolerance_s(self) -> float:
        """How far ahead of the clock a bucket may run: the burst minus the request itself."""
        return (self.burst - 1) * self.interval_s


class Partner(BaseModel):
    """A partner's credentials: its secret signs its requests, its source names its events;
    its quota bounds what it may send through the HTTP door."""

    secret: SecretStr
    source: str
    quota: Quota = Field(default_factory=Quota)


def family_id(source: str, event_id: str) -> str:
    """The family document's id for a partner event: the same event, the same id."""
    return "partner-" + hashlib.sha256(f"{source}\n{event_id}".encode()).hexdigest()[:40]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the partner's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_problem(
    partner: Partner | None,
    timestamp: str | None,
    given: str | None,
    body: bytes,
    *,
    now: datetime,
    tolerance_s: float,
) -> str | None:
    """Why a signed request must be refused, as a machine-readable code; None if it is fine.
    A request without its timestamp or signature is `missing-signature`, whoever it names."""
    if not timestamp or not given:
        return "missing-signature"
    if partner is None:
        return "unknown-partner"
    try:
        sent = float(timestamp)
    except ValueError:
        return "bad-timestamp"
    if not math.isfinite(sent):  # "nan" would never look stale
        return "bad-timestamp"
    if abs(now.timestamp() - sent) > tolerance_s:
        return "stale-timestamp"
    expected = signature(partner.secret.get_secret_value(), timestamp, body)
    # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, not a "no")
    matches = hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))
    return None if matches else "bad-signature"
