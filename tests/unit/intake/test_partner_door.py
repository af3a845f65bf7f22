"""The partners' door as a use case: who signed, and whether the partner is within its
quota (the quota book is a fake here; `test_quotas` covers the store's buckets)."""

from collections.abc import Mapping
from datetime import UTC, datetime

from pydantic import SecretStr

from entraide.intake.domain import partners
from entraide.intake.domain.partners import Partner, Quota
from entraide.intake.usecases.partner_door import QUOTA_EXCEEDED, PartnerDoor, Refused

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CAF = Partner(
    secret=SecretStr("s3cret"), source="urn:entraide:partner:caf-44", quota=Quota(per_minute=60)
)
BODY = b'{"specversion":"1.0"}'


class Book:
    """A quota book that refuses with `wait` seconds, or admits, and notes who it counted."""

    def __init__(self, partners: Mapping[str, Partner], wait: int | None = None) -> None:
        self.partners, self.wait, self.counted = partners, wait, []

    async def retry_after(self, key: str, partner: Partner) -> int | None:
        self.counted.append(key)
        return self.wait

    def known_over(self, key: str) -> float | None:
        return None


def door(wait: int | None = None) -> tuple[PartnerDoor, Book]:
    book = Book({"caf-44": CAF}, wait)
    return PartnerDoor(book.partners, book, tolerance_s=300), book


def signed(body: bytes = BODY) -> tuple[str, str]:
    stamp = str(int(NOW.timestamp()))
    return stamp, partners.signature("s3cret", stamp, body)


async def test_a_signed_request_within_its_quota_is_the_partners_and_counted() -> None:
    the_door, book = door()
    assert await the_door.admit("caf-44", *signed(), BODY, now=NOW) == CAF
    assert book.counted == ["caf-44"]


async def test_past_its_quota_the_partner_is_told_how_long_to_wait_and_its_quota() -> None:
    the_door, _ = door(wait=7)
    refused = await the_door.admit("caf-44", *signed(), BODY, now=NOW)
    assert refused == Refused(QUOTA_EXCEEDED, retry_after=7, quota=CAF.quota)


async def test_a_bad_signature_or_an_unknown_key_is_refused_before_any_count() -> None:
    the_door, book = door()
    stamp, _ = signed()
    assert await the_door.admit("caf-44", stamp, "sha256=00", BODY, now=NOW) == Refused(
        "bad-signature"
    )
    assert await the_door.admit("nobody", *signed(), BODY, now=NOW) == Refused("unknown-partner")
    assert await the_door.admit("caf-44", None, None, BODY, now=NOW) == Refused("missing-signature")
    assert book.counted == []
