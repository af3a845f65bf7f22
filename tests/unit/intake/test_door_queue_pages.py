"""« À confirmer » a page at a time: with 150 requests waiting it listed the oldest 100 and
said « sur 100 »; the newest 50 could not be reached. Now each page says where its
requests stand among all those waiting, and every one of them is on a page."""

from datetime import timedelta

from entraide.intake.domain.paging import number_of
from entraide.intake.usecases.commands import Parent
from tests.unit.intake.builders import CLAIRE
from tests.unit.intake.test_family_door import NOW, submission, world

WAITING = 150


async def test_150_requests_waiting_are_all_on_a_page_oldest_first() -> None:
    door, queue, _, _, _ = world()
    sent = [
        await door.submit(
            submission(parent=Parent("Awa", f"Traoré {n}", None, f"awa.{n}@example.org")),
            NOW + timedelta(minutes=n),
        )
        for n in range(WAITING)
    ]
    ids = [s.self_id for s in sent]

    first = await queue.pending(CLAIRE)
    assert (first.total, first.pages, first.number, first.first) == (WAITING, 8, 1, 1)
    assert [p.request.id for p in first.items] == ids[:20]

    pages = [await queue.pending(CLAIRE, n) for n in range(1, first.pages + 1)]
    assert [p.request.id for page in pages for p in page.items] == ids  # none twice, none left
    fifth, last = pages[5], pages[-1]
    assert fifth.first == 101  # « Demande 101 sur 150 »
    assert (last.first, last.first + len(last.items) - 1) == (141, WAITING)

    beyond = await queue.pending(CLAIRE, 99)  # an old link, the list shorter since
    assert beyond.number == 8
    assert beyond.items[-1].request.id == ids[-1]


def test_a_page_number_is_read_from_a_link_or_a_form() -> None:
    assert [number_of(s) for s in ("3", "", None, "0", "-2", "abc", "9" * 9)] == [3] + [1] * 6
