"""A match opens a family to an association; privacy's commands erase or export it."""

from datetime import UTC, datetime

import pytest

from entraide.contracts import new_event
from entraide.contracts.events import (
    AccessRequested,
    ErasureRequested,
    MatchAccepted,
    MatchClosed,
    MatchProposed,
)
from entraide.contracts.vocab import ErasureReason, MatchOutcome, RequestChannel, SubjectKind
from entraide.intake.domain.access import OverrideReason
from entraide.intake.domain.family import Consent
from entraide.intake.usecases import access, recording, sharing
from entraide.intake.usecases.ports import Action
from entraide.intake.usecases.rights import IntakeRights
from tests.unit.intake.builders import CLAIRE, INES, LUC, details
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork

NOW = datetime(2026, 11, 29, tzinfo=UTC)


async def _family(uow: FakeUnitOfWork, keys: FakeKeys, *, sharing_ok: bool) -> str:
    consent = Consent(matching=True, sharing=sharing_ok, collected_by="Claire", collected_at=NOW)
    recorded = await recording.record_request(
        uow,
        keys,
        details(consent=consent),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )
    return recorded.family_id


def _match(kind: type, family_ref: str, **fields: object) -> object:
    data = kind(match_id="match-0001", request_id="request-0001", family_ref=family_ref, **fields)
    return new_event(data, source="/entraide/matching", subject=family_ref)


async def test_an_accepted_match_opens_the_family_to_its_association_until_it_ends() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=True)
    ref = uow.families.stored[family_id].family_ref
    accepted = _match(MatchAccepted, ref, association_id="afev", accepted_at=NOW)
    await sharing.match_changed(uow.families, audit, accepted)
    family = await uow.families.get(family_id)
    assert family is not None
    assert access.can_see(LUC, family)
    await sharing.match_changed(uow.families, audit, accepted)  # a redelivery: nothing new
    closed = _match(
        MatchClosed, ref, association_id="afev", outcome=MatchOutcome.COMPLETED, closed_at=NOW
    )
    await sharing.match_changed(uow.families, audit, closed)
    family = await uow.families.get(family_id)
    assert family is not None
    assert not access.can_see(LUC, family)
    assert audit.actions() == [Action.SHARE, Action.UNSHARE]


async def test_without_consent_to_sharing_the_match_opens_nothing_and_is_audited() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=False)
    ref = uow.families.stored[family_id].family_ref
    await sharing.match_changed(
        uow.families, audit, _match(MatchAccepted, ref, association_id="afev", accepted_at=NOW)
    )
    assert uow.families.stored[family_id].shared_with == []
    assert audit.actions() == [Action.SHARE_REFUSED]
    proposed = _match(
        MatchProposed,
        ref,
        association_id="afev",
        proposed_at=NOW,
        expires_at=NOW,
        score=1.0,
        reasons=[],
    )
    await sharing.match_changed(uow.families, audit, proposed)
    assert audit.actions() == [Action.SHARE_REFUSED]


async def test_only_the_network_coordination_overrides_a_refusal_audited_first() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=False)
    reason = OverrideReason.CHILD_PROTECTION
    with pytest.raises(PermissionError):
        await sharing.override(uow.families, audit, CLAIRE, family_id, "afev", reason)
    assert await sharing.override(uow.families, audit, INES, family_id, "afev", reason)
    assert not await sharing.override(uow.families, audit, INES, "nobody", "afev", reason)
    assert uow.families.stored[family_id].shared_with == ["afev"]
    [entry] = audit.entries
    assert (entry["action"], entry["reason"]) == (Action.SHARE_OVERRIDE, reason.value)


async def test_a_share_is_kept_by_a_later_change_of_the_family() -> None:
    uow, keys, _audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=True)
    family = await uow.families.get(family_id)  # read before the share...
    assert family is not None
    await uow.families.share(family.family_ref, "afev", shared=True)
    family.postal_code = "44100"
    await uow.commit(family)  # ...written after it: the share stays
    assert uow.families.stored[family_id].shared_with == ["afev"]


async def test_erasure_destroys_the_key_then_the_family_and_a_redelivery_does_nothing() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=False)
    ref = uow.families.stored[family_id].family_ref
    rights = IntakeRights(uow.families, keys, audit)
    command = ErasureRequested(
        case_id="case-0001",
        subject_ref=ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW,
        reason=ErasureReason.RIGHTS_REQUEST,
    )
    counts = await rights.erase(command)
    assert counts == {"families": 1, "requests": 1, "contacts": 0, "keys": 1}
    assert family_id in keys.destroyed
    assert family_id not in uow.families.stored
    assert await rights.erase(command) == {}


async def test_an_access_request_exports_the_family_in_clear_with_its_readers() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=False)
    ref = uow.families.stored[family_id].family_ref
    await audit.record(CLAIRE, Action.READ, family_id, via="page")
    command = AccessRequested(
        case_id="case-0002",
        subject_ref=ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW,
        recipient_key=None,
    )
    uow.families.stored[family_id].possible_duplicates = ["f-other-1", "f-other-2"]
    export = await IntakeRights(uow.families, keys, audit).export(command)
    family = export["family"]
    assert family["identity"]["parent"]["last_name"] == "Diallo"
    assert family["possible_duplicates"] == 2  # how many, never the other families' ids
    assert "f-other" not in str(export)
    assert family["requests"][0]["notes"].startswith("Maman solo")
    assert "lookup" not in family
    assert family["consent"]["collected_at"].startswith("2026-11-29")
    assert [r["action"] for r in export["record_reads"]] == ["family.read"]
