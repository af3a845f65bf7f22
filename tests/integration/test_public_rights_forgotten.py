"""A person told their erasure is done at the public rights channel has their contact
forgotten even if the vault fails as it goes: on the real store (the request, the contact
sealed under its own key in the vault, the kit's notifier) and a real SMTP server, the
cases on privacy's fakes. The vault failing once as the contact is forgotten: one e-mail,
the contact still sealed and its request not yet answered; the next pass forgets it and
sends nothing more. Before, the request was marked answered first and the contact stayed
sealed, its key live, for ever."""

import os
import re

import pytest
from prometheus_client import CollectorRegistry

from entraide.contracts.vocab import SubjectKind
from entraide.kit.notifications import Channel
from entraide.kit.notifications.mongo import MongoNotifier
from entraide.kit.notifications.seal import Seal
from entraide.kit.notifications.senders import SmtpSender
from entraide.privacy.adapters.contact_seal import OWNER, VaultContactSeal, VaultStatementSeal
from entraide.privacy.adapters.store.person_requests import MongoPersonRequests
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.requests_from_people import Channel as ContactChannel
from entraide.privacy.domain.requests_from_people import Contact
from entraide.privacy.domain.subjects import Subject
from entraide.privacy.usecases.public_requests import PublicRights
from tests.smtp_server import running_smtp_server
from tests.unit.privacy.fakes import Clock, World
from tests.unit.privacy.test_public_rights import NOW, FakeOwners, erased_everywhere

EMAIL = "awa.diallo@example.org"
DONE = "Vos données ont été effacées"


class FailingVault(KeyVault):
    """The vault, failing the next `failing` destructions (its store away a moment)."""

    failing = 0

    async def destroy(self, owner: str, key_id: str) -> bool:
        if self.failing:
            self.failing -= 1
            raise ConnectionError("the vault's store is away")
        return await super().destroy(owner, key_id)


@pytest.fixture
def db(mongo, unique):
    return mongo[f"test_public_rights_forgotten_{unique}"]


async def test_the_vault_failing_as_the_contact_goes_the_next_pass_forgets_it(db) -> None:
    world = World(Clock(NOW))
    world.subjects.add(Subject("fam-ref-0001", SubjectKind.FAMILY, NOW))
    vault = FailingVault(db, {"m1": os.urandom(32)}, "m1")
    requests = MongoPersonRequests(db)
    with running_smtp_server() as box:
        sender = SmtpSender(host="127.0.0.1", port=box.port, sender="e@entraide.local", timeout=3)
        notifier = MongoNotifier(
            db, {Channel.EMAIL: sender}, seal=Seal("t"), quick_wait=0.01,
            registry=CollectorRegistry(),
        )  # fmt: skip
        owners = FakeOwners({"email:" + EMAIL: ["fam-ref-0001"]})
        public = PublicRights(
            requests, VaultContactSeal(db, vault), owners, notifier, world.privacy,
            key=b"k" * 32, public_url="https://x.fr", statements=VaultStatementSeal(db, vault),
        )  # fmt: skip
        contact = Contact(ContactChannel.EMAIL, EMAIL)
        asked = await public.ask(CaseKind.ERASURE, SubjectKind.FAMILY, contact, address="a")
        request_id = asked.request.request_id
        (code_mail,) = box.to(EMAIL)
        code = re.search(r"\b\d{6}\b", code_mail.get_content()).group()
        proved = await public.prove(request_id, code)
        await erased_everywhere(world, *proved.request.case_ids)

        vault.failing = 1
        with pytest.raises(ConnectionError):
            await public.deliver()
        told = [m for m in box.to(EMAIL) if m["Subject"] == DONE]
        assert len(told) == 1, "recorded and sent before the contact goes"
        assert (await requests.get(request_id)).link_sent_at is None, "not answered yet"
        assert await db["person_contacts"].count_documents({"_id": request_id}) == 1

        await public.deliver()
        assert await db["person_contacts"].count_documents({"_id": request_id}) == 0
        assert await vault.destroyed(OWNER, f"person-request-{request_id}")
        assert (await requests.get(request_id)).link_sent_at is not None
        assert await public.deliver() == 0
        told = [m for m in box.to(EMAIL) if m["Subject"] == DONE]
        assert len(told) == 1, "told once"
