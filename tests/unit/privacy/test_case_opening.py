"""A rights case of any kind opens only for a reference that names a subject of that
kind not erased yet: the registry or the key vault must know it (a family's key is made
as intake records it, before its event reaches the registry). Otherwise every service
would answer with empty counts and the case would close as if the subject were erased;
a rectification or an objection would close « fait par le service responsable »."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.keys import KeyTrace
from entraide.privacy.domain.refusals import KnownRef, Refusal, refusal
from entraide.privacy.domain.subjects import Subject
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.usecases.officer import RefusedError
from tests.unit.privacy.fakes import Clock, World

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)
FAMILY, VOLUNTEER = SubjectKind.FAMILY, SubjectKind.VOLUNTEER
NOBODY = KnownRef(registered=None, erased_at=None)


def test_a_reference_nobody_bears_is_refused() -> None:
    assert refusal(FAMILY, NOBODY) is Refusal.UNKNOWN


@pytest.mark.parametrize("kind", list(CaseKind))
async def test_no_case_of_any_kind_opens_for_a_reference_nobody_bears(kind) -> None:
    world = World(Clock(NOW))
    with pytest.raises(RefusedError) as refused:
        await world.privacy.open_case(kind, "nobody-1234", FAMILY, actor="dpo-1")
    assert refused.value.reason is Refusal.UNKNOWN
    assert world.commands.sent == []
    assert await world.rights.recent(10) == []


def test_a_live_key_is_enough_before_the_registry_hears_of_the_family() -> None:
    known = replace(NOBODY, keys=(KeyTrace("family", live=True),))
    assert refusal(FAMILY, known) is None
    assert refusal(VOLUNTEER, known) is Refusal.OTHER_KIND


def test_an_erased_subject_has_nothing_left() -> None:
    tombstoned = replace(NOBODY, erased_at=NOW)
    destroyed = replace(NOBODY, keys=(KeyTrace("family", live=False),))
    for known in (tombstoned, destroyed):
        assert refusal(FAMILY, known) is Refusal.ERASED


def test_a_registered_subject_is_known_even_without_keys_in_the_vault() -> None:
    known = replace(NOBODY, registered=VOLUNTEER)
    assert refusal(VOLUNTEER, known) is None
    assert refusal(FAMILY, known) is Refusal.OTHER_KIND


async def test_the_use_case_refuses_audits_and_opens_nothing() -> None:
    world = World(Clock(NOW))
    with pytest.raises(RefusedError) as refused:
        await world.privacy.open_case(CaseKind.ERASURE, "nobody-1234", FAMILY, actor="dpo-1")
    assert refused.value.reason is Refusal.UNKNOWN
    assert world.commands.sent == []
    assert await world.rights.recent(10) == []
    [entry] = world.audit.entries
    assert (entry["action"], entry["reason"], entry["actor"]) == (
        "case-refused",
        "unknown-subject",
        "dpo-1",
    )


async def test_the_use_case_opens_for_a_known_family_not_for_an_erased_one() -> None:
    world = World(Clock(NOW))
    world.subjects.add(Subject("fam-ref-0001", FAMILY, NOW))
    opened = await world.privacy.open_case(CaseKind.ACCESS, "fam-ref-0001", FAMILY, actor="dpo")
    assert world.commands.sent == [opened]
    await world.subjects.tombstone("fam-ref-0002", case_id="c-1", at=NOW)
    with pytest.raises(RefusedError) as refused:
        await world.privacy.open_case(CaseKind.ERASURE, "fam-ref-0002", FAMILY, actor="dpo")
    assert refused.value.reason is Refusal.ERASED
    assert "28/11/2026" in labels.refusal("already-erased", "family", refused.value.known.erased_at)


async def test_an_access_case_key_does_not_make_its_reference_known() -> None:
    world = World(Clock(NOW))
    await world.keys.get_or_create(
        "privacy", "case-1", subject_ref="nobody-1234", subject_kind="family"
    )
    with pytest.raises(RefusedError):
        await world.privacy.open_case(CaseKind.ACCESS, "nobody-1234", FAMILY, actor="dpo")
