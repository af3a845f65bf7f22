"""A proved code opens each of her cases once on the real store (the request, the cases,
the audit trail, the key vault, the contact and the statement sealed in it), wherever
privacy stops: stopped as the cases' ids are recorded, the code again opens none twice;
the code sent twice at once (a double click) opens each case once, the store's unique id
refusing the second; a request nobody tries again is finished by the next pass once its
code expired; stopped before the cases are journalled, the code again or the pass writes
each one's « case-opened » entry, once. Before, the code again opened every case a second
time, and a case stored before its entry was never journalled as opened."""

import asyncio
import os
from datetime import timedelta

import pytest

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.adapters.contact_seal import VaultContactSeal, VaultStatementSeal
from entraide.privacy.adapters.store import MongoAudit, MongoCases
from entraide.privacy.adapters.store.person_requests import MongoPersonRequests
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.requests_from_people import Status, Verdict
from entraide.privacy.domain.retention import RetentionPolicy
from entraide.privacy.domain.subjects import Subject
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.officer import Privacy
from entraide.privacy.usecases.public_requests import PublicRights
from tests.unit.privacy.fakes import (
    SERVICES,
    Clock,
    FakeCommands,
    FakeNotices,
    FakeSubjects,
    ListSender,
)
from tests.unit.privacy.test_public_rights import NOW, PHONE, FakeNotifier, FakeOwners
from tests.unit.privacy.test_public_rights_forgotten import DiedError

REFS = ["fam-ref-0001", "fam-ref-0002"]


@pytest.fixture
def db(mongo, unique):
    return mongo[f"test_public_rights_stopped_{unique}"]


def _channel(db):
    clock, subjects, commands = Clock(NOW), FakeSubjects(), FakeCommands()
    subjects.add(*(Subject(ref, SubjectKind.FAMILY, NOW) for ref in REFS))
    vault = KeyVault(db, {"m1": os.urandom(32)}, "m1")
    audit = MongoAudit(db)
    rights = Rights(
        MongoCases(db), commands, vault, audit, services=SERVICES,
        retry_after=timedelta(minutes=5), escalate_after=3, clock=clock,
    )  # fmt: skip
    privacy = Privacy(subjects, rights, FakeNotices(), audit, RetentionPolicy(), ListSender())
    requests, notifier = MongoPersonRequests(db), FakeNotifier()
    public = PublicRights(
        requests, VaultContactSeal(db, vault), FakeOwners({PHONE.term: REFS}), notifier,
        privacy, key=b"k" * 32, public_url="https://x.fr", statements=VaultStatementSeal(db, vault),
    )  # fmt: skip
    return clock, public, requests, notifier


async def _asked(public, notifier, kind=CaseKind.ACCESS) -> tuple[str, str]:
    asked = await public.ask(kind, SubjectKind.FAMILY, PHONE, address="a")
    return asked.request.request_id, notifier.sent[0].context["code"]


async def _one_case_each(db, request_id: str, requests) -> None:
    for ref in REFS:
        assert await db["cases"].count_documents({"subject_ref": ref}) == 1, f"{ref}: once"
    stored = await requests.get(request_id)
    assert stored.status is Status.PROVEN
    assert stored.opening == ()
    assert sorted(stored.case_ids) == sorted(await db["cases"].distinct("_id"))
    opened = await db["audit"].count_documents({"action": "case-opened"})
    assert opened == 2, "each case journalled as opened once"
    proved = await db["audit"].count_documents({"action": "public-request-proved"})
    assert proved == 2, "each case journalled as the person's once"


async def test_stopped_as_her_cases_are_recorded_the_code_again_opens_none_again(db) -> None:
    _, public, requests, notifier = _channel(db)
    request_id, code = await _asked(public, notifier)
    save = requests.save

    async def stopping(request) -> None:
        if request.case_ids:
            raise DiedError
        await save(request)

    requests.save = stopping
    with pytest.raises(DiedError):
        await public.prove(request_id, code)
    assert await db["cases"].count_documents({}) == 2
    requests.save = save

    again = await public.prove(request_id, code)
    assert (again.verdict, again.found) == (Verdict.PROVEN, 2)
    await _one_case_each(db, request_id, requests)
    for case in [await public.privacy.rights.get(c) for c in again.request.case_ids]:
        assert case is not None
        assert case.recipient_key, "its parts sealed to the key the vault holds"


async def test_the_code_sent_twice_at_once_opens_each_case_once(db) -> None:
    _, public, requests, notifier = _channel(db)
    request_id, code = await _asked(public, notifier, CaseKind.ERASURE)
    both = await asyncio.gather(public.prove(request_id, code), public.prove(request_id, code))
    assert all(p.found == 2 for p in both)
    await _one_case_each(db, request_id, requests)


async def test_stopped_as_her_cases_open_the_next_pass_finishes_it(db) -> None:
    clock, public, requests, notifier = _channel(db)
    request_id, code = await _asked(public, notifier, CaseKind.ERASURE)
    rights = public.privacy.rights
    send = rights.commands.send

    async def stopping(cases) -> None:
        raise DiedError

    rights.commands.send = stopping
    with pytest.raises(DiedError):
        await public.prove(request_id, code)
    rights.commands.send = send
    stored = await requests.get(request_id)
    assert (stored.status, stored.opening) == (Status.OPENING, tuple(REFS))

    clock.advance(minutes=16)  # she never tries again
    await public.deliver()
    await _one_case_each(db, request_id, requests)
    assert await db["person_contacts"].count_documents({"_id": request_id}) == 1, "kept"


@pytest.mark.parametrize("again", ["code", "pass"])
async def test_stopped_before_her_cases_are_journalled_the_trail_says_each_opened_once(
    db, again
) -> None:
    clock, public, requests, notifier = _channel(db)
    request_id, code = await _asked(public, notifier, CaseKind.ERASURE)
    audit = public.privacy.audit
    record_many = audit.record_many

    async def stopping(entries) -> None:
        raise DiedError

    audit.record_many = stopping  # the first case stored, not journalled
    with pytest.raises(DiedError):
        await public.prove(request_id, code)
    audit.record_many = record_many
    assert await db["cases"].count_documents({}) == 1
    assert await db["audit"].count_documents({"action": "case-opened"}) == 0

    if again == "code":
        await public.prove(request_id, code)
    else:  # she never tries again: the pass once the code expired
        clock.advance(minutes=16)
        await public.deliver()
    await _one_case_each(db, request_id, requests)
    for case in await db["cases"].find().to_list():
        (opened,) = (
            await db["audit"].find({"case_id": case["_id"], "action": "case-opened"}).to_list()
        )
        assert opened.keys() == {"_id", "at", "case_id", "action", "actor", "kind", "reason"}
        assert (opened["actor"], opened["kind"]) == ("personne", "erasure"), "no one named"
        trail = await public.privacy.trail(case["_id"])
        assert [e["action"] for e in trail][:2] == ["case-opened", "public-request-proved"]
