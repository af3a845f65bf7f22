"""Saving a family's record form (staff's rectification), against the fakes: the consent's
provenance moves only with the consent; a save that changes nothing rectifies nothing."""

from dataclasses import replace
from datetime import UTC, datetime

from entraide.contracts.events import RectificationCompleted
from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain.family import Consent
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.commands import FamilyDetails, Parent
from tests.unit.intake.builders import CLAIRE, casework, details
from tests.unit.intake.fakes import FakeUnitOfWork

AT_THE_DOOR = Consent(
    True, False, "la famille (formulaire public)", datetime(2026, 11, 20, tzinfo=UTC)
)
# what the record form sends on every save: the consent as typed, « collected » by staff now
BY_JULIEN = Consent(True, False, "Julien (PPM)", datetime(2026, 12, 1, 21, tzinfo=UTC))
NEW_PHONE = Parent("Amina", "Diallo", "07 98 76 54 32", "amina.diallo@example.org")


async def _recorded(initial: FamilyDetails) -> tuple[Casework, FakeUnitOfWork, str, str]:
    work, uow, keys, _ = casework()
    recorded = await recording.record_request(
        uow, keys, initial, association_id="parrains-par-mille", channel=RequestChannel.STAFF_FORM
    )
    return work, uow, recorded.family_id, recorded.request_id


async def test_correcting_the_phone_keeps_who_collected_the_consent_and_when() -> None:
    work, uow, family_id, request_id = await _recorded(details(consent=AT_THE_DOOR))

    await work.rectify(CLAIRE, family_id, request_id, details(parent=NEW_PHONE, consent=BY_JULIEN))

    assert uow.families.stored[family_id].consent == AT_THE_DOOR


async def test_a_consent_changed_on_the_form_is_recorded_as_collected_by_staff() -> None:
    work, uow, family_id, request_id = await _recorded(details(consent=AT_THE_DOOR))
    widened = replace(BY_JULIEN, sharing=True)

    await work.rectify(CLAIRE, family_id, request_id, details(consent=widened))

    assert uow.families.stored[family_id].consent == widened


async def test_a_save_that_changes_nothing_leaves_the_rectification_waiting() -> None:
    """Saved as it was: privacy hears nothing, the flag stays and the save says the case
    waits; the next save that corrects the record does the rectification."""
    work, uow, family_id, request_id = await _recorded(details(consent=AT_THE_DOOR))
    family_ref = uow.families.stored[family_id].family_ref
    await uow.families.flag_rectification(family_ref, "case-0001")

    same = await work.rectify(CLAIRE, family_id, request_id, details(consent=BY_JULIEN))

    assert uow.events_of(RectificationCompleted) == []
    assert uow.families.stored[family_id].rectifications == ["case-0001"]
    assert same.waiting == ["case-0001"]

    fixed = await work.rectify(CLAIRE, family_id, request_id, details(parent=NEW_PHONE))

    assert fixed.waiting == []
    assert [d.case_id for d in uow.events_of(RectificationCompleted)] == ["case-0001"]
    assert uow.families.stored[family_id].rectifications == []
