"""`RectificationWithdrawn` on privacy's commands topic: the owner of the subject takes the
flag off (its handler's `withdraw_rectification`), nobody acknowledges, and a service with
no such method (matching, privacy itself, the other owner) ignores it, never dead-lettering
it as « not a privacy command »."""

from datetime import UTC, datetime

from entraide.contracts.events import RectificationWithdrawn
from entraide.contracts.vocab import SubjectKind
from entraide.kit.rights import _answer

WITHDRAWN = RectificationWithdrawn(
    case_id="case-0014",
    subject_ref="fam-ref-0003",
    subject_kind=SubjectKind.FAMILY,
    decision="refused",
    withdrawn_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
)


class Owner:
    def __init__(self) -> None:
        self.withdrawn: list[RectificationWithdrawn] = []

    async def withdraw_rectification(self, command: RectificationWithdrawn) -> None:
        self.withdrawn.append(command)


class Bystander:
    """A service owning no subject: erase and export only."""


async def test_the_owner_takes_the_flag_off_and_nobody_acknowledges() -> None:
    owner = Owner()
    assert await _answer(owner, WITHDRAWN, "intake") is None
    assert owner.withdrawn == [WITHDRAWN]


async def test_a_service_without_the_method_ignores_it() -> None:
    assert await _answer(Bystander(), WITHDRAWN, "matching") is None
