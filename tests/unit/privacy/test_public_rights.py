"""The public rights channel's rules and use case, on fakes: a contact is read as intake
reads it; the code is kept hashed, expires, locks after 5 misses; one contact or one address
cannot start more than a few requests an hour; a proved contact opens one case per subject
its owners name, with the person as actor; an access case's link goes to the contact once
the case is closed, then the contact is forgotten; the link expires and names its case."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from entraide.contracts.events import AccessAcknowledged, ErasureAcknowledged
from entraide.contracts.vocab import SubjectKind
from entraide.kit.export_seal import seal_for
from entraide.kit.notifications import Channel as NoticeChannel
from entraide.kit.notifications import Notification
from entraide.privacy.domain import requests_from_people as rules
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.domain.requests_from_people import (
    Channel,
    Contact,
    PersonRequest,
    Status,
    Verdict,
    contact_of,
)
from entraide.privacy.domain.subjects import Subject
from entraide.privacy.usecases.public_requests import OwnersUnavailableError, PublicRights
from tests.unit.privacy.fakes import Clock, World

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
KEY = b"k" * 32
FAMILY = SubjectKind.FAMILY
PHONE = Contact(Channel.SMS, "0612345678")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("06 12 34 56 78", PHONE),
        ("+33 6 12 34 56 78", PHONE),
        ("0033612345678", PHONE),
        ("06.12.34.56.78", PHONE),
        (" Awa.Diallo@Exemple.FR ", Contact(Channel.EMAIL, "awa.diallo@exemple.fr")),
        ("0612", None),
        ("awa@", None),
        ("appelez-moi", None),
        ("+44 20 7946 0958", None),
    ],
)
def test_a_contact_is_read_as_intake_reads_its_duplicate_terms(typed, expected) -> None:
    assert contact_of(typed) == expected
    if expected is not None:
        assert expected.term in ("phone:0612345678", "email:awa.diallo@exemple.fr")


def _request(**changes) -> PersonRequest:
    base = PersonRequest(
        "r1", CaseKind.ERASURE, FAMILY, Channel.SMS, "c", "a", rules.keyed(KEY, "123456"),
        NOW, NOW + rules.CODE_TTL,
    )  # fmt: skip
    return replace(base, **changes)


def test_the_right_code_in_time_proves_the_contact() -> None:
    verdict, after = rules.check_code(_request(), rules.keyed(KEY, "123456"), NOW)
    assert verdict is Verdict.PROVEN
    assert after.status is Status.PROVEN


def test_a_code_past_fifteen_minutes_is_refused_even_if_right() -> None:
    late = NOW + timedelta(minutes=15)
    verdict, after = rules.check_code(_request(), rules.keyed(KEY, "123456"), late)
    assert verdict is Verdict.EXPIRED
    assert after.status is Status.EXPIRED


def test_five_wrong_codes_lock_the_request_and_the_right_one_no_longer_opens_it() -> None:
    request = _request()
    verdicts = []
    for _ in range(5):
        verdict, request = rules.check_code(request, rules.keyed(KEY, "000000"), NOW)
        verdicts.append(verdict)
    assert verdicts == [Verdict.WRONG] * 4 + [Verdict.LOCKED]
    assert rules.check_code(request, rules.keyed(KEY, "123456"), NOW)[0] is Verdict.LOCKED


def test_a_link_is_signed_names_its_case_and_expires() -> None:
    expires = NOW + rules.LINK_TTL
    token = rules.link_token(KEY, "r1", "case-1", expires)
    assert rules.read_link(KEY, token, NOW) == rules.Link("r1", "case-1", int(expires.timestamp()))
    assert rules.read_link(KEY, token, expires) is None
    assert rules.read_link(b"o" * 32, token, NOW) is None
    forged = token.replace("case-1", "case-2")
    assert rules.read_link(KEY, forged, NOW) is None


class FakeRequests:
    def __init__(self) -> None:
        self.requests: dict[str, PersonRequest] = {}

    async def add(self, request: PersonRequest) -> None:
        self.requests[request.request_id] = request

    async def get(self, request_id: str) -> PersonRequest | None:
        return self.requests.get(request_id)

    async def save(self, request: PersonRequest) -> None:
        self.requests[request.request_id] = request

    async def started_since(self, *, contact_hash, address_hash, since) -> tuple[int, int]:
        recent = [r for r in self.requests.values() if r.created_at >= since]
        return (
            sum(r.contact_hash == contact_hash for r in recent),
            sum(r.address_hash == address_hash for r in recent),
        )

    async def awaiting_answer(self) -> list[PersonRequest]:
        return [
            r
            for r in self.requests.values()
            if r.status is Status.PROVEN and r.case_ids and r.link_sent_at is None
        ]  # fmt: skip

    async def stale(self, before: datetime) -> list[PersonRequest]:
        return self._expired(Status.WAITING, before)

    async def opening(self, before: datetime) -> list[PersonRequest]:
        return self._expired(Status.OPENING, before)

    def _expired(self, status: Status, before: datetime) -> list[PersonRequest]:
        return [r for r in self.requests.values() if r.status is status and r.expires_at < before]


class FakeSeal:
    def __init__(self) -> None:
        self.sealed: dict[str, Contact] = {}

    async def seal(self, request_id: str, contact: Contact) -> None:
        self.sealed[request_id] = contact

    async def open(self, request_id: str) -> Contact | None:
        return self.sealed.get(request_id)

    async def forget(self, request_id: str) -> None:
        self.sealed.pop(request_id, None)


class FakeStatements:
    def __init__(self) -> None:
        self.sealed: dict[str, tuple[str, str]] = {}  # ref: the text, its key's subject

    async def seal(self, ref: str, text: str, *, subject_ref: str) -> None:
        self.sealed[ref] = (text, subject_ref)

    async def open(self, ref: str) -> str | None:
        return self.sealed[ref][0] if ref in self.sealed else None

    async def forget(self, ref: str) -> None:
        self.sealed.pop(ref, None)


class FakeOwners:
    def __init__(self, known: dict[str, list[str]]) -> None:
        self.known, self.down, self.asked = known, False, []

    async def subjects_of(self, contact: Contact, kind: SubjectKind) -> list[str]:
        if self.down:
            raise OwnersUnavailableError("intake")
        self.asked.append((contact, kind))
        return self.known.get(contact.term, [])


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


def _channel(known: dict[str, list[str]] | None = None):
    world = World(Clock(NOW))
    for ref in ("fam-ref-0001", "fam-ref-0002"):
        world.subjects.add(Subject(ref, FAMILY, NOW))
    requests, seal, notifier = FakeRequests(), FakeSeal(), FakeNotifier()
    owners = FakeOwners(known if known is not None else {PHONE.term: ["fam-ref-0001"]})
    public = PublicRights(
        requests, seal, owners, notifier, world.privacy, key=KEY, public_url="https://x.fr/",
        statements=FakeStatements(),
    )  # fmt: skip
    return world, public, requests, seal, owners, notifier


async def _ask(public, kind=CaseKind.ERASURE, contact=PHONE, address="10.0.0.1", language="fr"):
    return await public.ask(kind, FAMILY, contact, address=address, language=language)


async def test_the_code_goes_to_the_contact_and_only_hashes_are_kept() -> None:
    _, public, requests, seal, _, notifier = _channel()
    asked = await _ask(public)
    (sent,) = notifier.sent
    code = sent.context["code"]
    stored = requests.requests[asked.request.request_id]

    assert sent.template == "code-contact"
    assert sent.channel is NoticeChannel.SMS
    assert sent.to == "0612345678"
    assert sent.recipient_ref == f"demande-{stored.request_id}"
    assert len(code) == 6
    assert code.isdigit()
    assert sent.context["expires_at"] == NOW + timedelta(minutes=15)
    kept = repr(stored)
    assert "0612345678" not in kept
    assert code not in kept.replace(stored.request_id, "")
    assert seal.sealed[stored.request_id] == PHONE  # sealed (the vault's key), not in clear


async def test_a_follow_up_code_is_kept_as_a_keyed_hash_only() -> None:
    _, public, requests, _, _, _ = _channel()
    asked = await public.ask(CaseKind.ACCESS, FAMILY, PHONE, address="a", follow_up="K7P-4QX")
    kept = requests.requests[asked.request.request_id]
    assert kept.follow_up == rules.keyed(KEY, "follow-up:K7P-4QX")
    assert "K7P" not in repr(kept)


async def test_one_contact_starts_three_requests_an_hour_one_address_ten() -> None:
    world, public, _, _, _, notifier = _channel()
    first = [await _ask(public) for _ in range(4)]
    assert [a.request is not None for a in first] == [True, True, True, False]
    others = [
        await _ask(public, contact=Contact(Channel.EMAIL, f"p{i}@exemple.fr")) for i in range(8)
    ]
    assert [a.request is not None for a in others] == [True] * 7 + [False]  # 10 from 10.0.0.1
    elsewhere = await _ask(public, contact=Contact(Channel.EMAIL, "z@exemple.fr"), address="b")
    assert elsewhere.request is not None
    world.clock.advance(hours=1, seconds=1)
    assert (await _ask(public)).request is not None
    assert len(notifier.sent) == 3 + 7 + 1 + 1
    refused = [e for e in world.audit.entries if e["action"] == "public-request-refused"]
    assert len(refused) == 2


async def test_a_proved_contact_opens_a_case_per_subject_with_the_person_as_actor() -> None:
    known = {PHONE.term: ["fam-ref-0001", "fam-ref-0002"]}
    world, public, _, seal, owners, notifier = _channel(known)
    asked = await _ask(public)
    request_id = asked.request.request_id
    code = notifier.sent[0].context["code"]
    wrong = await public.prove(request_id, "999999" if code != "999999" else "111111")
    proved = await public.prove(request_id, code)

    assert wrong.verdict is Verdict.WRONG
    assert proved.verdict is Verdict.PROVEN
    assert proved.found == 2
    cases = [world.cases.cases[c] for c in proved.request.case_ids]
    assert sorted(c.subject_ref for c in cases) == ["fam-ref-0001", "fam-ref-0002"]
    assert all(c.kind is CaseKind.ERASURE for c in cases)
    assert all(c.deadline == datetime(2026, 12, 30, 9, tzinfo=UTC) for c in cases)  # a month
    assert world.commands.sent == cases
    opened = [e for e in world.audit.entries if e["action"] == "case-opened"]
    assert [e["actor"] for e in opened] == ["personne", "personne"]
    assert owners.asked == [(PHONE, FAMILY)]
    assert request_id in seal.sealed, "sealed until the person is told the erasure is done"
    again = await public.prove(request_id, notifier.sent[0].context["code"])
    assert again.verdict is Verdict.DONE
    assert len(world.cases.cases) == 2


async def test_an_owner_down_leaves_the_code_valid_for_another_try() -> None:
    _, public, _, _, owners, notifier = _channel()
    asked = await _ask(public)
    owners.down = True
    with pytest.raises(OwnersUnavailableError):
        await public.prove(asked.request.request_id, notifier.sent[0].context["code"])
    owners.down = False
    proved = await public.prove(asked.request.request_id, notifier.sent[0].context["code"])
    assert proved.verdict is Verdict.PROVEN
    assert proved.found == 1


async def test_a_contact_naming_nobody_opens_nothing_and_says_so() -> None:
    world, public, _, seal, _, notifier = _channel({})
    asked = await _ask(public)
    proved = await public.prove(asked.request.request_id, notifier.sent[0].context["code"])
    assert proved.verdict is Verdict.PROVEN
    assert proved.found == 0
    assert world.cases.cases == {}
    assert seal.sealed == {}
    assert [e["action"] for e in world.audit.entries] == ["public-request-unmatched"]


async def test_the_access_link_goes_once_the_case_is_closed_then_the_contact_is_forgotten() -> None:
    world, public, _, seal, _, notifier = _channel()
    asked = await _ask(public, kind=CaseKind.ACCESS, language="ro")  # the page's language
    request_id = asked.request.request_id
    proved = await public.prove(request_id, notifier.sent[0].context["code"])
    (case_id,) = proved.request.case_ids
    assert await public.deliver() == 0, "not before the case is closed"
    assert request_id in seal.sealed
    recipient = world.cases.cases[case_id].recipient_key
    for service in world.services:
        part = {"service": service} if service == "intake" else {}
        sealed = seal_for(recipient, case_id, part)
        ack = AccessAcknowledged(
            case_id=case_id,
            subject_ref="fam-ref-0001",
            service=service,
            completed_at=world.clock(),
            sealed_export=sealed,
        )
        await world.rights.record_ack(ack)
    assert world.cases.cases[case_id].status is CaseStatus.CLOSED
    assert await public.deliver() == 1
    assert await public.deliver() == 0, "sent once"
    link = notifier.sent[-1]
    assert link.template == "droits-export"
    assert [n.language for n in notifier.sent] == ["ro", "ro"]  # the code, then the link
    assert link.to == "0612345678"
    url = link.context["link"]
    assert link.context["expires_at"] == NOW + timedelta(days=7)
    assert url.startswith("https://x.fr/vos-droits/export/")
    assert urlsplit(url).query == "lang=ro", "the link opens the page in the request's language"
    assert request_id not in seal.sealed
    token = urlsplit(url).path.rsplit("/", 1)[1]
    export = await public.export(token, form="html")
    assert export is not None
    assert export["services"]["intake"] == {"service": "intake"}
    read = [e for e in world.audit.entries if e["action"] == "export-read"]
    assert [(e["case_id"], e["actor"]) for e in read] == [(case_id, "personne")]
    world.clock.advance(days=7, seconds=1)
    assert await public.export(token, form="html") is None


async def test_an_access_erased_before_it_closed_sends_no_link_and_forgets_the_contact() -> None:
    """The person asked for access, then for erasure, which closed first: the access case's
    key went with the others; no « your copy is ready » for a copy that cannot be read."""
    world, public, _, seal, _, notifier = _channel()
    asked = await _ask(public, kind=CaseKind.ACCESS)
    proved = await public.prove(asked.request.request_id, notifier.sent[0].context["code"])
    (case_id,) = proved.request.case_ids
    erasure = await world.rights.open(CaseKind.ERASURE, "fam-ref-0001", FAMILY, actor="personne")
    for service in world.services:
        await world.rights.record_ack(
            ErasureAcknowledged(
                case_id=erasure.case_id, subject_ref="fam-ref-0001", service=service,
                completed_at=world.clock(), counts={},
            )
        )  # fmt: skip
        recipient = world.cases.cases[case_id].recipient_key
        await world.rights.record_ack(
            AccessAcknowledged(
                case_id=case_id, subject_ref="fam-ref-0001", service=service,
                completed_at=world.clock(), sealed_export=seal_for(recipient, case_id, {}),
            )
        )  # fmt: skip
    assert world.cases.cases[case_id].status is CaseStatus.CLOSED

    assert await public.deliver() == 0
    assert [n.template for n in notifier.sent] == ["code-contact"]
    assert asked.request.request_id not in seal.sealed


async def test_an_erasure_done_is_told_once_in_the_persons_language_then_forgotten() -> None:
    """The person asked for erasure at the public channel: the page can only say it is
    registered; once every service has answered, they are told it is done, once, in the
    request's language (its last message), and their contact is forgotten."""
    world, public, _, seal, _, notifier = _channel()
    asked = await _ask(public, kind=CaseKind.ERASURE, language="pt")
    request_id = asked.request.request_id
    proved = await public.prove(request_id, notifier.sent[0].context["code"])
    (case_id,) = proved.request.case_ids
    assert request_id in seal.sealed, "kept until it is done"
    assert await public.deliver() == 0, "not before the case is closed"
    await erased_everywhere(world, case_id)

    assert await public.deliver() == 1
    assert await public.deliver() == 0, "told once"
    done = notifier.sent[-1]
    assert (done.template, done.language, done.to) == ("droits-effacement", "pt", "0612345678")
    assert request_id not in seal.sealed


async def erased_everywhere(world: World, case_id: str) -> None:
    """Every service acknowledges the erasure case: it closes."""
    for service in world.services:
        await world.rights.record_ack(
            ErasureAcknowledged(
                case_id=case_id, subject_ref="fam-ref-0001", service=service,
                completed_at=world.clock(), counts={},
            )
        )  # fmt: skip
    assert world.cases.cases[case_id].status is CaseStatus.CLOSED


async def test_a_request_never_proved_forgets_its_contact_once_expired() -> None:
    world, public, requests, seal, _, _ = _channel()
    asked = await _ask(public)
    world.clock.advance(minutes=16)
    await public.deliver()
    assert seal.sealed == {}
    assert requests.requests[asked.request.request_id].status is Status.EXPIRED


async def test_a_code_goes_by_the_notifier_without_quiet_hours_a_link_by_the_other() -> None:
    world, _, requests, seal, owners, links = _channel()
    codes = FakeNotifier()
    public = PublicRights(
        requests, seal, owners, links, world.privacy, key=KEY, public_url="https://x.fr",
        codes=codes, statements=FakeStatements(),
    )  # fmt: skip
    await _ask(public)
    assert [n.template for n in codes.sent] == ["code-contact"]
    assert links.sent == []
