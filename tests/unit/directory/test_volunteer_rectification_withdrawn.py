"""A volunteer's rectification the officer closed without the correction (« Refusé »,
« Sans objet »): the case's flag leaves the card, the case is noted done in the same
write, no completion goes to privacy, and a command delivered later flags nothing."""

from entraide.contracts.events import RectificationCompleted
from entraide.directory.domain.volunteers.application import Correction
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.volunteer_rights import VolunteerRights
from tests.unit.directory.fakes import FakeUnitOfWork
from tests.unit.directory.test_volunteer_rights import Documents
from tests.unit.directory.test_volunteer_use_cases import PPM, applied


class MovingDocuments(Documents):
    """The fake's notes, and `move` over the stored record as the store's one update."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        super().__init__(uow)
        self.moves = 0

    async def move(self, volunteer_ref: str, case_id: str, *, out_of: str, into: str) -> bool:
        found = [v for v in self.uow.volunteers.stored.values() if v.volunteer_ref == volunteer_ref]
        if not found:
            return False
        self.moves += 1
        before = getattr(found[0], out_of)
        setattr(found[0], out_of, [c for c in before if c != case_id])
        if case_id not in getattr(found[0], into):
            setattr(found[0], into, [*getattr(found[0], into), case_id])
        return case_id in before


async def test_a_withdrawn_rectification_leaves_the_card_and_is_never_flagged_again() -> None:
    uow, keys, volunteer_id = await applied()
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents = MovingDocuments(uow)
    rights = VolunteerRights(uow, documents)
    await rights.rectify(ref, "case-0011")
    await rights.rectify(ref, "case-0012")

    assert await rights.withdraw_rectification(ref, "case-0011") is True
    assert await rights.withdraw_rectification(ref, "case-0011") is False  # delivered twice

    stored = uow.volunteers.stored[volunteer_id]
    assert stored.rectifications == ["case-0012"], "only the refused case's flag goes"
    assert stored.rectifications_done == ["case-0011"]
    assert documents.moves == 2, "one write each time"
    assert await rights.rectify(ref, "case-0011") == {"volunteers": 1}  # a late command
    assert uow.volunteers.stored[volunteer_id].rectifications == ["case-0012"]
    identity = {"prenom": "Dominique", "nom": "Martin", "courriel": "dm@example.org"}
    fixed = Correction.model_validate({"identity": identity, "code_postal": "44400"})
    await volunteer_service.correct(uow, keys, PPM, volunteer_id, fixed)
    done = [e.case_id for e in uow.events() if isinstance(e, RectificationCompleted)]
    assert done == ["case-0012"], "no completion for the withdrawn case"


async def test_a_withdrawal_for_an_unknown_volunteer_changes_nothing() -> None:
    uow = FakeUnitOfWork()
    rights = VolunteerRights(uow, MovingDocuments(uow))
    assert await rights.withdraw_rectification("vol-inconnu", "case-0013") is False
