"""The association's space lists its volunteers a page at a time, what waits for the
coordinator first, and opens the identity of the page's volunteers only."""

from datetime import date, timedelta

from entraide.contracts import departements
from entraide.directory.domain.volunteers import roster
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.ports import RosterPage, RosterQuery
from entraide.directory.usecases.roster import association_roster
from entraide.directory.usecases.volunteers import Review
from entraide.kit.principal import Principal, Role
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM

TODAY = date(2026, 12, 1)


class CountingKeys(FakeKeys):
    """The fake key store, counting the keys fetched to open an identity."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = 0

    async def existing(self, volunteer_id: str) -> bytes | None:
        self.opened += 1
        return await super().existing(volunteer_id)


class FakeRoster:
    """`usecases.roster.Roster` over the fake unit of work, in `roster.ordered`'s order."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def page(self, query: RosterQuery) -> RosterPage:
        status, today, territories = query.status, query.today, query.territories
        docs = [
            v.state() | {"rectifications": v.rectifications}
            for v in self.uow.volunteers.stored.values()
            if v.association_id == query.association_id
            and (not territories or departements.of_postal_code(v.code_postal) in territories)
        ]
        by_status: dict[str, int] = {}
        for d in docs:
            by_status[d["status"]] = by_status.get(d["status"], 0) + 1
        chosen = roster.ordered([d for d in docs if not status or d["status"] == status], today)
        by_tier = {t.name: 0 for t in roster.TIERS}
        for d in chosen:
            by_tier[roster.tier_of(d, today)] += 1
        if query.after is not None:  # the API's cursor: those after the mark
            chosen = [d for d in chosen if roster.follows(d, query.after)]
        shown = chosen[query.start :][: query.size]
        return RosterPage(shown, sum(by_tier.values()), by_status, by_tier)


async def association_of(count: int, reviewed: int = 0) -> tuple[FakeUnitOfWork, list[str]]:
    """`count` applications, the first `reviewed` of them under review."""
    uow, keys = FakeUnitOfWork(), FakeKeys()
    ids = [await volunteer_service.apply(uow, keys, FORM) for _ in range(count)]
    for volunteer_id in ids[:reviewed]:
        await volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.IN_REVIEW))
    return uow, ids


async def listed(uow: FakeUnitOfWork, keys: CountingKeys, number: int, **asked):
    principal = asked.pop("principal", PPM)
    return await association_roster(
        FakeRoster(uow), keys, principal, status=asked.get("status"), number=number, today=TODAY
    )


async def test_only_the_page_shown_has_its_volunteers_identity_opened() -> None:
    """45 volunteers: page 1 opens 20 keys, not 45; page 3 the last 5."""
    uow, _ = await association_of(45)
    keys = CountingKeys()
    keys.keys = {i: bytes(range(32)) for i in uow.volunteers.stored}

    first = await listed(uow, keys, 1)
    assert (len(first.volunteers), keys.opened, first.pages, first.total) == (20, 20, 3, 45)
    assert first.volunteers[0]["identity"]["prenom"] == "Dominique"
    keys.opened = 0
    last = await listed(uow, keys, 3)
    assert (len(last.volunteers), keys.opened, last.number) == (5, 5, 3)
    past = await listed(uow, keys, 9)  # past the last page (some left meanwhile): the last
    assert (past.number, len(past.volunteers)) == (3, 5)


async def test_applications_waiting_for_a_review_come_first_then_what_needs_following() -> None:
    """Applications (the longest waiting first), then those under review, a rectification
    asked, a check to renew (expired first); then the others, the latest first."""
    uow, ids = await association_of(8)
    approve = [
        Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
    ]
    soon, expired, fine, flagged, old_fine = ids[1], ids[2], ids[3], ids[4], ids[0]
    for volunteer_id in (soon, expired, fine, flagged, old_fine):
        for review in approve:
            await volunteer_service.change(uow, PPM, volunteer_id, review)
    valid = {
        soon: TODAY + timedelta(days=30),
        expired: TODAY - timedelta(days=1),
        fine: TODAY + timedelta(days=400),
        flagged: TODAY + timedelta(days=400),
        old_fine: TODAY + timedelta(days=400),
    }
    for volunteer_id, until in valid.items():
        review = Review(honorability=Honorability.CLEARED, honorability_valid_until=until)
        await volunteer_service.change(uow, PPM, volunteer_id, review)
    uow.volunteers.stored[flagged].rectifications = ["case-1"]
    await volunteer_service.change(uow, PPM, ids[6], Review(status=Status.IN_REVIEW))
    keys = CountingKeys()
    keys.keys = {i: bytes(range(32)) for i in uow.volunteers.stored}

    page = await listed(uow, keys, 1)
    order = [v["volunteer_id"] for v in page.volunteers]
    assert order == [ids[5], ids[7], ids[6], flagged, expired, soon, fine, old_fine]
    assert page.by_tier == {"applied": 2, "in-review": 1, "rectify": 1, "renew": 2, "others": 2}
    assert page.by_status == {"applied": 2, "in-review": 1, "approved": 5}


async def test_the_status_filter_lists_that_status_only_with_the_counts_of_all() -> None:
    uow, ids = await association_of(25, reviewed=22)
    keys = CountingKeys()
    keys.keys = {i: bytes(range(32)) for i in uow.volunteers.stored}

    applied = await listed(uow, keys, 1, status=Status.APPLIED)
    assert [v["volunteer_id"] for v in applied.volunteers] == ids[22:]
    assert (applied.total, applied.pages, keys.opened) == (3, 1, 3)
    assert applied.by_status == {"applied": 3, "in-review": 22}
    reviewed = await listed(uow, keys, 2, status=Status.IN_REVIEW)
    assert [v["volunteer_id"] for v in reviewed.volunteers] == ids[20:22]


async def test_the_staff_of_one_territory_list_its_volunteers_and_the_network_none() -> None:
    uow, keys = FakeUnitOfWork(), CountingKeys()
    nantes = await volunteer_service.apply(uow, keys, FORM)
    await volunteer_service.apply(uow, keys, FORM.model_copy(update={"code_postal": "59000"}))
    in_44 = PPM.model_copy(update={"territories": ("44",)})

    page = await listed(uow, keys, 1, principal=in_44)
    assert [v["volunteer_id"] for v in page.volunteers] == [nantes]
    network = Principal(subject="n", name="Nora", role=Role.NETWORK)
    assert (await listed(uow, keys, 1, principal=network)).volunteers == []
