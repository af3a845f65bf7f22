"""On the real store, an officer's case stored before its « case-opened » entry (privacy
stopped between the two writes) is journalled as opened, as hers, by the watchdog's first
resend, once: who opened it is kept on the case. Before, its trail never said it opened."""

import pytest

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import CaseKind
from tests.integration.test_public_rights_stopped import REFS, _channel
from tests.unit.privacy.test_public_rights_forgotten import DiedError


@pytest.fixture
def db(mongo, unique):
    return mongo[f"test_case_opened_restored_{unique}"]


async def test_an_officers_case_stored_before_its_entry_is_journalled_as_hers_once(db) -> None:
    clock, public, _, _ = _channel(db)
    privacy = public.privacy
    record_many = privacy.audit.record_many

    async def stopping(entries) -> None:
        raise DiedError

    privacy.audit.record_many = stopping
    with pytest.raises(DiedError):
        await privacy.open_case(CaseKind.ACCESS, REFS[0], SubjectKind.FAMILY, actor="dpo-1")
    privacy.audit.record_many = record_many
    (case_id,) = await db["cases"].distinct("_id")
    assert await db["audit"].count_documents({"case_id": case_id}) == 0

    for _ in range(3):  # the first resend writes it, the next ones find it
        clock.advance(minutes=6)
        await privacy.rights.tick()
    (opened,) = await db["audit"].find({"action": "case-opened"}).to_list()
    assert opened.keys() == {"_id", "at", "case_id", "action", "actor", "kind", "reason"}
    assert (opened["case_id"], opened["actor"], opened["kind"]) == (case_id, "dpo-1", "access")
    trail = [e["action"] for e in await privacy.trail(case_id)]
    assert trail[:2] == ["case-opened", "command-resent"]
    assert len(privacy.rights.commands.sent) == 3, "commanded at each resend"
