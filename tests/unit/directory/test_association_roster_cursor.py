"""The staff API lists an association's volunteers from a mark to the next (its cursor),
in the space's order: nobody repeated nor skipped when volunteers apply or leave between
two pages, only the page's identities opened, as many as asked."""

import base64
from datetime import UTC, datetime, timedelta
from itertools import chain

import pytest

from entraide.directory.domain.volunteers import roster
from entraide.directory.domain.volunteers.roster import Mark
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.entrypoints.http.volunteers import cursor
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.roster import Stretch, roster_after
from entraide.kit.principal import Principal, Role
from tests.unit.directory.fakes import FakeUnitOfWork
from tests.unit.directory.test_association_roster import (
    TODAY,
    CountingKeys,
    FakeRoster,
    association_of,
)
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM

START = datetime(2026, 1, 1, tzinfo=UTC)


async def stretch(uow, keys, after=None, size=20, **asked) -> Stretch:
    principal = asked.pop("principal", PPM)
    return await roster_after(
        FakeRoster(uow),
        keys,
        principal,
        status=asked.get("status"),
        after=after,
        today=TODAY,
        size=size,
    )


async def walk(uow, keys, size=20, **asked) -> list[list[str]]:
    """Every page's volunteers, following the marks to the end."""
    pages, after = [], None
    while True:
        found = await stretch(uow, keys, after, size, **asked)
        pages.append([v["volunteer_id"] for v in found.volunteers])
        if found.next is None:
            return pages
        after = cursor.decode(cursor.encode(found.next))  # as the API hands it over


def approved(uow: FakeUnitOfWork, ids: list[str]) -> None:
    """Approved, cleared for years: the list's last part, the latest application first."""
    for n, volunteer_id in enumerate(ids):
        v = uow.volunteers.stored[volunteer_id]
        v.status, v.honorability = Status.APPROVED, Honorability.CLEARED
        v.honorability_valid_until = TODAY + timedelta(days=900)
        v.applied_at = START + timedelta(hours=n)


def keyed(uow: FakeUnitOfWork) -> CountingKeys:
    keys = CountingKeys()
    keys.keys = {i: bytes(range(32)) for i in uow.volunteers.stored}
    return keys


async def test_45_volunteers_come_20_at_a_time_each_once_only_the_pages_opened() -> None:
    uow, _ = await association_of(45, reviewed=10)
    keys = keyed(uow)

    first = await stretch(uow, keys)
    assert (len(first.volunteers), keys.opened, first.total) == (20, 20, 45)
    assert first.volunteers[0]["identity"]["prenom"] == "Dominique"
    keys.opened = 0
    pages = await walk(uow, keys)
    assert [len(p) for p in pages] == [20, 20, 5]
    assert keys.opened == 45  # each identity opened once, on its own page
    everyone = [
        d["_id"] for d in roster.ordered([v.state() for v in uow.volunteers.stored.values()], TODAY)
    ]
    assert [*chain(*pages)] == everyone
    assert [len(p) for p in await walk(uow, keys, size=50)] == [45]  # no empty page after


async def test_an_application_and_a_departure_between_two_pages_move_nobody() -> None:
    """Walking the approved (the latest first), a new application lands before them and one
    of page 1 leaves: page 2 starts where page 1 ended (page numbers would repeat two)."""
    uow, ids = await association_of(45)
    approved(uow, ids)
    keys = keyed(uow)
    first = await stretch(uow, keys)
    shown = [v["volunteer_id"] for v in first.volunteers]
    assert shown == ids[::-1][:20]

    newcomer = await volunteer_service.apply(uow, keys, FORM)
    keys.keys[newcomer] = bytes(range(32))
    del uow.volunteers.stored[shown[3]]
    second = await stretch(uow, keys, first.next)
    assert [v["volunteer_id"] for v in second.volunteers] == ids[::-1][20:40]
    third = await stretch(uow, keys, second.next)
    assert [v["volunteer_id"] for v in third.volunteers] == ids[::-1][40:]
    assert (third.next, third.total) == (None, 45)  # 45 - 1 + 1


async def test_volunteers_who_applied_at_the_same_instant_are_each_listed_once() -> None:
    uow, ids = await association_of(30)
    for volunteer_id in ids:
        uow.volunteers.stored[volunteer_id].applied_at = START
    pages = await walk(uow, keyed(uow), size=7)
    assert [len(p) for p in pages] == [7, 7, 7, 7, 2]
    assert [*chain(*pages)] == sorted(ids)  # the id decides between equals


async def test_the_status_asked_is_kept_from_page_to_page() -> None:
    uow, ids = await association_of(25, reviewed=22)
    pages = await walk(uow, keyed(uow), size=10, status=Status.IN_REVIEW)
    assert [*chain(*pages)] == ids[:22]
    assert [len(p) for p in pages] == [10, 10, 2]


async def test_other_territories_associations_and_the_network_list_none_of_them() -> None:
    uow, keys = FakeUnitOfWork(), CountingKeys()
    nantes = await volunteer_service.apply(uow, keys, FORM)
    lille = await volunteer_service.apply(
        uow, keys, FORM.model_copy(update={"code_postal": "59000"})
    )
    in_44 = PPM.model_copy(update={"territories": ("44",)})
    afev = Principal(subject="a", name="Nadia", role=Role.STAFF, association_id="afev")
    network = Principal(subject="n", name="Nora", role=Role.NETWORK)

    assert [v["volunteer_id"] for v in (await stretch(uow, keys, principal=in_44)).volunteers] == [
        nantes
    ]
    both = (await stretch(uow, keys, principal=PPM)).volunteers
    assert sorted(v["volunteer_id"] for v in both) == sorted([nantes, lille])
    for outsider in (afev, network):
        found = await stretch(uow, keys, principal=outsider)
        assert (found.volunteers, found.next, found.total) == ([], None, 0)


async def test_each_volunteer_follows_the_mark_of_every_one_before_them() -> None:
    """`follows` is the order `ordered` gives, missing values included (a check not
    cleared has no date: first among those to renew)."""
    uow, ids = await association_of(9, reviewed=2)
    approved(uow, ids[4:])
    uow.volunteers.stored[ids[4]].honorability = Honorability.REQUESTED  # to renew, no date
    uow.volunteers.stored[ids[4]].honorability_valid_until = None
    uow.volunteers.stored[ids[5]].honorability_valid_until = TODAY  # to renew
    uow.volunteers.stored[ids[6]].rectifications = ["case"]
    docs = [
        v.state() | {"rectifications": v.rectifications} for v in uow.volunteers.stored.values()
    ]
    listed = roster.ordered(docs, TODAY)
    assert [roster.tier_of(d, TODAY) for d in listed] == (
        ["applied"] * 2 + ["in-review"] * 2 + ["rectify"] + ["renew"] * 2 + ["others"] * 2
    )
    assert listed[5]["_id"] == ids[4]  # no date: the first to renew
    for at, doc in enumerate(listed):
        mark = roster.mark_of(doc, TODAY)
        assert [d["_id"] for d in listed if roster.follows(d, mark)] == [
            d["_id"] for d in listed[at + 1 :]
        ]


def test_the_cursor_reads_back_the_mark_and_refuses_anything_else() -> None:
    mark = Mark(TODAY, "renew", (None, datetime(2026, 1, 1, 9, 30, 0, 123000), "abc"))
    assert cursor.decode(cursor.encode(mark)) == mark
    aware = Mark(TODAY, "others", (START, "id"))
    assert cursor.decode(cursor.encode(aware)) == aware
    cut = cursor.encode(mark)[:-3]
    for wrong in ("", "pas-un-curseur", cut, "eyJqb3VyIjogWzFdfQ"):
        with pytest.raises(cursor.CursorError):
            cursor.decode(wrong)
    operator = '{"jour": "2026-12-01", "partie": "others", "apres": [{"$ne": 1}, "sid"]}'
    with pytest.raises(cursor.CursorError):  # a value from a client is never an operator
        cursor.decode(base64.urlsafe_b64encode(operator.encode()).decode())
