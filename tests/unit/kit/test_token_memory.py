"""A verified staff token is answered from memory for a minute, never past its expiry."""

from types import SimpleNamespace

import pytest

from entraide.kit import principal as module
from entraide.kit.principal import (
    LEEWAY_SECONDS,
    VERIFIED_SECONDS,
    InvalidTokenError,
    Principal,
    Role,
    TokenVerifier,
    Verified,
)

STAFF = Principal(subject="s-1", name="Amina Diallo", role=Role.STAFF, association_id="asso-1")
NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.wall, self.mono = NOW, 1000.0

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    fake = SimpleNamespace(time=lambda: clock.wall, monotonic=lambda: clock.mono)
    monkeypatch.setattr(module, "time", fake)
    return clock


def verifier(answers: dict[str, int | None], calls: list[str]) -> TokenVerifier:
    """A verifier whose issuer check is `answers`: a token's expiry, None when refused."""
    checker = TokenVerifier(issuer="i", audience="a", jwks_url="http://127.0.0.1:9/jwks")

    def verify_now(token: str) -> Verified:
        calls.append(token)
        expires_at = answers[token]
        if expires_at is None:
            raise InvalidTokenError("ExpiredSignatureError")
        return Verified(STAFF, expires_at)

    checker.verify_now = verify_now  # type: ignore[method-assign]
    return checker


async def test_a_token_is_checked_once_a_minute(clock: Clock) -> None:
    calls: list[str] = []
    checker = verifier({"t": int(NOW) + 3600}, calls)
    assert (await checker.verify("t")).principal == STAFF
    clock.advance(VERIFIED_SECONDS - 1)
    await checker.verify("t")
    assert calls == ["t"]
    clock.advance(2)
    await checker.verify("t")
    assert calls == ["t", "t"]


async def test_a_remembered_token_past_its_expiry_is_checked_again_and_refused(
    clock: Clock,
) -> None:
    answers: dict[str, int | None] = {"t": int(NOW) + 10}
    calls: list[str] = []
    checker = verifier(answers, calls)
    await checker.verify("t")
    answers["t"] = None  # the issuer's check now refuses it: expired
    clock.advance(10 + LEEWAY_SECONDS + 5)  # within the minute, but past its expiry
    with pytest.raises(InvalidTokenError):
        await checker.verify("t")
    assert calls == ["t", "t"]


async def test_the_memory_is_bounded_the_oldest_going_first(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "VERIFIED_MAX", 3)
    calls: list[str] = []
    checker = verifier({t: int(NOW) + 3600 for t in "abcd"}, calls)
    for token in "abcd":
        await checker.verify(token)
    for token in "bcd":
        await checker.verify(token)
    assert calls == ["a", "b", "c", "d"]  # b, c and d remembered
    await checker.verify("a")
    assert calls == ["a", "b", "c", "d", "a"]  # a had gone
