"""Staff work on a known family, against the fakes: open, search, rectify, withdraw, contact."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from entraide.contracts.events import (
    ContactLogged,
    RectificationCompleted,
    RequestUpdated,
    RequestWithdrawn,
)
from entraide.contracts.paris import PARIS
from entraide.contracts.vocab import ContactChannel, RequestChannel, Urgency, WithdrawalReason
from entraide.intake.domain.requests import Sign
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework, ClosedError, ConflictError, NotFoundError
from entraide.intake.usecases.ports import Action
from entraide.kit import formats
from tests.unit.intake.builders import CLAIRE, INES, LUC, casework, details
from tests.unit.intake.fakes import FakeUnitOfWork


async def _recorded(work: Casework, uow: FakeUnitOfWork, **changes: object) -> tuple[str, str]:
    recorded = await recording.record_request(
        uow,
        work.keys,
        details(**changes),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )
    return recorded.family_id, recorded.request_id


async def test_opening_a_record_is_audited_and_shows_the_identity_in_clear() -> None:
    work, uow, _, audit = casework()
    family_id, request_id = await _recorded(work, uow)
    record = await work.open(CLAIRE, family_id, via="page")
    assert record.identity is not None
    assert record.identity["parent"]["last_name"] == "Diallo"
    assert record.notes[request_id].startswith("Maman solo")
    assert audit.actions() == [Action.READ]


async def test_a_family_out_of_scope_is_not_found_and_its_opening_not_audited() -> None:
    work, uow, _, audit = casework()
    family_id, _ = await _recorded(work, uow)
    with pytest.raises(NotFoundError):
        await work.open(LUC, family_id, via="page")
    assert (await work.open(INES, family_id, via="api")).identity is not None
    assert audit.actions() == [Action.READ]


async def test_search_shows_families_in_scope_and_counts_the_others() -> None:
    work, uow, _, audit = casework()
    await _recorded(work, uow)
    mine = await work.search(CLAIRE, first_name="Amina", last_name="Diallo", phone="", email="")
    theirs = await work.search(LUC, first_name="", last_name="", phone="0612345678", email="")
    assert (len(mine.families), mine.elsewhere) == (1, 0)
    assert (theirs.families, theirs.elsewhere) == ([], 1)
    assert audit.actions() == [Action.SEARCH, Action.SEARCH]
    assert [len(await work.recent(p)) for p in (CLAIRE, LUC, INES)] == [1, 0, 1]


async def test_rectification_publishes_the_next_revision() -> None:
    work, uow, _, audit = casework()
    family_id, request_id = await _recorded(work, uow)
    rectified = await work.rectify(
        CLAIRE, family_id, request_id, details(postal_code="44100", signs=[Sign.CRISE])
    )
    assert rectified.revision == 2
    family = uow.families.stored[family_id]
    assert family.version == 2
    assert family.postal_code == "44100"
    assert family.requests[0].urgency == Urgency.CRITICAL
    assert family.requests[0].updated_at
    [update] = uow.events_of(RequestUpdated)
    assert (update.revision, update.urgency, update.postal_code) == (2, Urgency.CRITICAL, "44100")
    assert audit.actions()[-1] == Action.RECTIFY
    assert uow.wakes == 2


async def test_a_change_made_on_a_stale_read_is_refused() -> None:
    work, uow, _, _ = casework()
    family_id, request_id = await _recorded(work, uow)

    async def colleague_logs_a_contact() -> None:
        await work.log_contact(CLAIRE, family_id, channel=ContactChannel.SMS, note="")

    uow.before_next_commit(colleague_logs_a_contact)
    with pytest.raises(ConflictError):
        await work.rectify(CLAIRE, family_id, request_id, details(commune="Rezé"))
    family = uow.families.stored[family_id]
    assert family.version == 2
    assert len(family.contacts) == 1
    assert family.requests[0].revision == 1
    assert not uow.events_of(RequestUpdated)


async def test_withdrawal_closes_the_request_for_good() -> None:
    work, uow, _, audit = casework()
    family_id, request_id = await _recorded(work, uow)
    await work.withdraw(CLAIRE, family_id, request_id, WithdrawalReason.FAMILY_CHOICE)
    request = uow.families.stored[family_id].requests[0]
    assert (request.status, request.revision) == ("withdrawn", 2)
    assert request.withdrawal_reason == WithdrawalReason.FAMILY_CHOICE
    [withdrawn] = uow.events_of(RequestWithdrawn)
    assert (withdrawn.revision, withdrawn.reason) == (2, WithdrawalReason.FAMILY_CHOICE)
    assert audit.actions() == [Action.WITHDRAW]
    with pytest.raises(ClosedError):
        await work.withdraw(CLAIRE, family_id, request_id, WithdrawalReason.OTHER)
    with pytest.raises(ClosedError):
        await work.rectify(CLAIRE, family_id, request_id, details())
    with pytest.raises(NotFoundError):
        await work.withdraw(CLAIRE, family_id, "no-such-request", WithdrawalReason.OTHER)


async def test_a_contact_restarts_the_retention_clock_and_is_announced() -> None:
    work, uow, _keys, audit = casework()
    family_id, _ = await _recorded(work, uow)
    recorded_at = uow.families.stored[family_id].last_contact_at
    later = recorded_at + timedelta(days=400)
    phone, visit = ContactChannel.PHONE, ContactChannel.VISIT
    await work.log_contact(CLAIRE, family_id, channel=phone, note="Appel", noted_at=later)
    earlier = formats.today() - timedelta(days=3)  # logged late: the clock does not go back
    await work.log_contact(CLAIRE, family_id, channel=visit, note="", day=earlier)
    started = datetime.combine(earlier, time(), PARIS)  # its day, from its start
    family = uow.families.stored[family_id]
    assert family.last_contact_at == later
    assert len(family.contacts) == 2
    assert family.contacts[0].by == "staff-claire"
    assert family.contacts[0].note != "Appel"
    assert [e.contacted_at for e in uow.events_of(ContactLogged)] == [later, started]
    assert audit.actions() == [Action.CONTACT, Action.CONTACT]
    record = await work.open(CLAIRE, family_id, via="page")
    assert record.contact_notes == ["Appel", ""]


async def test_a_contact_on_a_past_day_keeps_that_day_and_no_time_nobody_gave() -> None:
    """The page stored a past day as noon UTC, the same as a contact noted at noon: a
    moment nobody typed, which the copies then had to guess back into a day."""
    work, uow, _keys, _audit = casework()
    family_id, _ = await _recorded(work, uow)
    noted = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    day = date(2026, 11, 20)
    await work.log_contact(
        CLAIRE, family_id, channel=ContactChannel.PHONE, note="", day=day, noted_at=noted
    )
    (contact,) = uow.families.stored[family_id].contacts
    assert (contact.day, contact.noted_at) == (day, noted)
    assert not hasattr(contact, "at")
    # a contact of the day it is noted counts from that moment
    await work.log_contact(CLAIRE, family_id, channel=ContactChannel.SMS, note="")
    today = uow.families.stored[family_id].contacts[-1]
    assert today.day == formats.today(today.noted_at)


async def test_an_erased_family_can_be_opened_but_no_longer_changed() -> None:
    work, uow, keys, _ = casework()
    family_id, request_id = await _recorded(work, uow)
    await keys.destroy(family_id)
    assert (await work.open(CLAIRE, family_id, via="page")).identity is None
    with pytest.raises(NotFoundError):
        await work.log_contact(CLAIRE, family_id, channel=ContactChannel.SMS, note="")
    with pytest.raises(NotFoundError):
        await work.rectify(CLAIRE, family_id, request_id, details())


async def test_rectifying_a_flagged_record_tells_privacy_each_case_is_done() -> None:
    """The officer's rectification cases flagged on the record: rectifying it announces
    each one done (case and reference only) in the record's own write, and takes the flags
    off; one flagged while staff were typing stays for the next rectification."""
    work, uow, _, _ = casework()
    family_id, request_id = await _recorded(work, uow)
    family_ref = uow.families.stored[family_id].family_ref
    for case_id in ("case-0001", "case-0002"):
        await uow.families.flag_rectification(family_ref, case_id)

    async def flagged_meanwhile() -> None:
        await uow.families.flag_rectification(family_ref, "case-0003")

    uow.before_next_commit(flagged_meanwhile)
    writes = uow.writes
    await work.rectify(CLAIRE, family_id, request_id, details(commune="Rezé"))

    done = uow.events_of(RectificationCompleted)
    assert [(d.case_id, d.subject_ref, d.service) for d in done] == [
        ("case-0001", family_ref, "intake"),
        ("case-0002", family_ref, "intake"),
    ]
    assert uow.writes == writes + 1, "the flags and their announcement: one write"
    assert uow.families.stored[family_id].rectifications == ["case-0003"]
    await work.rectify(CLAIRE, family_id, request_id, details())
    assert [d.case_id for d in uow.events_of(RectificationCompleted)][2:] == ["case-0003"]


async def test_rectifying_a_record_nobody_asked_about_tells_privacy_nothing() -> None:
    work, uow, _, _ = casework()
    family_id, request_id = await _recorded(work, uow)
    await work.rectify(CLAIRE, family_id, request_id, details())
    assert uow.events_of(RectificationCompleted) == []
