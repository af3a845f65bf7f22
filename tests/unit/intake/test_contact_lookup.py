"""Which families a proved contact names (privacy's rights channel asks intake): found by
their duplicate-search hashes, answered with references only, read in one go."""

from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.contact_lookup import LIMIT, families_of
from tests.unit.intake.builders import family_of
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork

AMINA = Parent("Amina", "Diallo", "06 12 34 56 78", "amina.diallo@example.org")
# the same phone, another parent (a couple recorded twice); and someone else
MOUSSA = Parent("Moussa", "Diallo", "06 12 34 56 78", None)
SOPHIE = Parent("Sophie", "Martin", "06 11 22 33 44", "sophie.martin@example.org")


async def _recorded(uow: FakeUnitOfWork, keys: FakeKeys, parent: Parent) -> str:
    family = await uow.add(await family_of(keys, parent))
    return family.family_ref


async def test_the_families_a_contact_names_are_read_in_one_go() -> None:
    """They were read whole, one `get` per family found (up to 20 reads)."""
    uow, keys = FakeUnitOfWork(), FakeKeys()
    amina, moussa = await _recorded(uow, keys, AMINA), await _recorded(uow, keys, MOUSSA)
    await _recorded(uow, keys, SOPHIE)
    families = uow.families
    before = families.reads

    by_phone = await families_of(families, keys, phone="0612345678", email=None)

    assert by_phone == sorted([amina, moussa])
    assert families.reads == before + 1  # one read of the references, no record read
    assert await families_of(families, keys, phone=None, email=AMINA.email) == [amina]
    assert await families_of(families, keys, phone="0700000000", email=None) == []


async def test_the_door_requests_references_join_the_families_at_most_20() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    amina = await _recorded(uow, keys, AMINA)
    waiting = [f"door-{n:02}" for n in range(LIMIT)]
    asked: list[tuple[list[str], int]] = []

    async def own_requests(hashes: list[str], limit: int) -> list[str]:
        asked.append((hashes, limit))
        return [amina, *waiting]  # a family's reference may come from both

    found = await families_of(
        uow.families, keys, phone=AMINA.phone, email=None, own_requests=own_requests
    )

    assert found == sorted({amina, *waiting})[:LIMIT]
    assert len(found) == LIMIT
    assert [limit for _, limit in asked] == [LIMIT]  # asked once, for 20 at most
