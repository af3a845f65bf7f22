"""« À confirmer » with more requests waiting than a page holds, on the real store: the
page said « Demande N sur 100 » with 150 waiting and the newest 50 could not be reached.
Now each card says its rank among all those waiting, and the pager reaches the last."""

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

from entraide.contracts.vocab import Need
from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.self_requests import SelfRequest
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.support import serving

WAITING = 150
SINCE = datetime(2026, 11, 1, 9, tzinfo=UTC)


def waiting(rank: int) -> SelfRequest:
    """The `rank`th request received (1: the oldest), sent to no association."""
    return SelfRequest(
        id=uuid.uuid4().hex,
        family_id=uuid.uuid4().hex,
        family_ref=uuid.uuid4().hex,
        association_id=None,
        offer_id=None,
        departement="44",
        postal_code="44000",
        children_birth_years=[2020],
        needs=[Need.ECOUTE],
        availability=[],
        languages=["fr"],
        contact_preferences=["phone"],
        sealed={},
        lookup=[],
        code_hash=uuid.uuid4().hex,
        submitted_at=SINCE + timedelta(hours=rank),
    )


async def test_the_pager_reaches_the_newest_of_150_requests_waiting(
    intake_settings, dev_issuer
) -> None:
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        requests = [waiting(rank) for rank in range(1, WAITING + 1)]
        for request in requests:
            await lookup(app, FamilyDoor).queue.add(request)
        await dev_issuer.sign_in(intake, "ppm-nantes")

        page = html.unescape((await intake.get("/a-confirmer")).text)
        assert "Demande 1 sur 150," in page
        assert "sur 100" not in page
        last = max(int(n) for n in re.findall(r'href="\?page=(\d+)"', page))
        assert requests[0].id in page
        assert requests[-1].id not in page

        page = html.unescape((await intake.get(f"/a-confirmer?page={last}")).text)
        assert "Demande 150 sur 150," in page
        assert requests[-1].id in page  # the newest, on the last page
        assert 'aria-current="page"' in page
        assert f'name="page" value="{last}"' in page  # a decision comes back to this page
