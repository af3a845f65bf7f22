"""A family already known asks for something else: another request on its record, not a
second family (against the fakes)."""

from datetime import UTC, datetime

import pytest

from entraide.contracts.events import RequestSubmitted, RequestUpdated
from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain.family import Consent
from entraide.intake.domain.requests import Sign
from entraide.intake.usecases import another_request, recording
from entraide.intake.usecases.casework import NotFoundError
from entraide.intake.usecases.ports import Action
from tests.unit.intake.builders import CLAIRE, LUC, casework, details

NOW = datetime.now(UTC)


def wish(matching: bool = True, **changes: object) -> another_request.Wish:
    given = Consent(matching, False, "Claire (PPM)", NOW)
    fields: dict[str, object] = {
        "needs": ["repit-garde-ponctuelle"],
        "availability": [],
        "signs": [Sign.ISOLEMENT],
        "notes": "Reprend un emploi en janvier",
        "consent": given,
    }
    return another_request.Wish(**(fields | changes))  # type: ignore[arg-type]


async def test_another_request_joins_the_family_record_with_its_reference() -> None:
    work, uow, _, audit = casework()
    first = await recording.record_request(
        uow, work.keys, details(), association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )  # fmt: skip
    request_id = await another_request.add_request(
        work, CLAIRE, first.family_id, wish(), channel=RequestChannel.STAFF_FORM, via="page"
    )
    family = await uow.families.get(first.family_id)
    assert family is not None
    assert [r.request_id for r in family.requests] == [first.request_id, request_id]
    assert len(uow.families.stored) == 1  # no second family
    submitted = uow.events_of(RequestSubmitted)
    assert [s.request_id for s in submitted] == [first.request_id, request_id]
    assert submitted[1].family_ref == submitted[0].family_ref
    assert submitted[1].needs == ["repit-garde-ponctuelle"]
    record = await work.open(CLAIRE, first.family_id, via="page")
    assert record.notes[request_id] == "Reprend un emploi en janvier"  # sealed, readable
    assert Action.CREATE in audit.actions()


async def test_a_consent_given_back_with_the_new_request_moves_the_others_too() -> None:
    work, uow, _, _ = casework()
    first = await recording.record_request(
        uow, work.keys, details(), association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )  # fmt: skip
    await work.change_consent(
        CLAIRE, first.family_id, Consent(False, False, "Claire (PPM)", NOW), via="page"
    )
    await another_request.add_request(
        work, CLAIRE, first.family_id, wish(), channel=RequestChannel.STAFF_API, via="api"
    )
    family = await uow.families.get(first.family_id)
    assert family is not None
    assert family.consent.matching
    assert uow.events_of(RequestSubmitted)[-1].consent_to_matching is True
    updates = [u for u in uow.events_of(RequestUpdated) if u.request_id == first.request_id]
    assert [u.consent_to_matching for u in updates] == [False, True]


async def test_a_family_out_of_scope_or_erased_gets_no_request() -> None:
    work, uow, keys, _ = casework()
    first = await recording.record_request(
        uow, work.keys, details(), association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )  # fmt: skip
    with pytest.raises(NotFoundError):
        await another_request.add_request(
            work, LUC, first.family_id, wish(), channel=RequestChannel.STAFF_FORM, via="page"
        )
    await keys.destroy(first.family_id)
    with pytest.raises(NotFoundError):
        await another_request.add_request(
            work, CLAIRE, first.family_id, wish(), channel=RequestChannel.STAFF_FORM, via="page"
        )
    family = await uow.families.get(first.family_id)
    assert family is not None
    assert len(family.requests) == 1


async def test_half_days_left_out_are_the_ones_she_last_gave() -> None:
    """A request with no half-day is never proposed a volunteer: one sent without them
    (`availability` left out, as a partner's API call may) keeps the last ones she gave;
    an empty list sent on purpose stays empty."""
    work, uow, _, _ = casework()
    first = await recording.record_request(
        uow, work.keys, details(), association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )  # fmt: skip
    kept = await another_request.add_request(
        work, CLAIRE, first.family_id, wish(availability=None), channel=RequestChannel.STAFF_API,
        via="api",
    )  # fmt: skip
    none = await another_request.add_request(
        work, CLAIRE, first.family_id, wish(availability=[]), channel=RequestChannel.STAFF_API,
        via="api",
    )  # fmt: skip
    submitted = {s.request_id: s for s in uow.events_of(RequestSubmitted)}
    assert submitted[kept].availability == details().availability
    assert submitted[none].availability == []
    family = await uow.families.get(first.family_id)
    assert family is not None
    assert another_request.last_half_days(family) == details().availability  # none said last
