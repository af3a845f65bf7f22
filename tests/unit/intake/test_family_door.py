"""A family's own door, against in-memory fakes: queued sealed and unpublished, confirmed
by staff in scope (then published, channel `family`), joined to a known family or refused;
the follow-up code; the limits per contact; the notifications."""

import json
import time
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from entraide.contracts import CloudEvent, new_event
from entraide.contracts.events import (
    MatchAccepted,
    MatchProposed,
    MatchWaitlisted,
    RequestSubmitted,
    RetentionNoticeDue,
)
from entraide.contracts.vocab import Need, RequestChannel
from entraide.intake.domain import self_requests as rules
from entraide.intake.domain.access import Scope
from entraide.intake.domain.family import MatchStep, NotFoundError
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest, Stage, Standing
from entraide.intake.usecases import recording
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.retention_warnings import RetentionWarnings
from entraide.intake.usecases.self_request_queue import AlreadyDecidedError, ConfirmationQueue
from entraide.intake.usecases.self_requests import (
    ContactLimitError,
    FamilyDoor,
    SelfSubmission,
    queue_admits,
)
from entraide.kit.notifications import Channel, Notification
from entraide.kit.notifications.templates import Renderer
from tests.unit.intake.builders import CLAIRE, INES, LUC, details, known_to_staff
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class FakeQueue:
    """`SelfRequests` in memory."""

    def __init__(self) -> None:
        self.stored: dict[str, SelfRequest] = {}
        self.reads = 0
        self.outbox: list[tuple[str, CloudEvent[Any]]] = []  # (request, event) announced

    async def add(self, request: SelfRequest) -> None:
        self.stored[request.id] = replace(request)

    async def get(self, self_id: str) -> SelfRequest | None:
        found = self.stored.get(self_id)
        return replace(found) if found else None

    async def by_code(self, code_hash: str) -> SelfRequest | None:
        return next((r for r in self.stored.values() if r.code_hash == code_hash), None)

    async def by_requests(self, request_ids: Collection[str]) -> dict[str, SelfRequest]:
        self.reads += 1
        return {
            r.request_id: replace(r)
            for r in self.stored.values()
            if r.request_id and r.request_id in request_ids
        }

    def _waiting(self, scope: Scope) -> list[SelfRequest]:
        found = (r for r in self.stored.values() if r.stage == Stage.PENDING)
        return sorted((r for r in found if queue_admits(scope, r)), key=lambda r: r.submitted_at)

    async def pending(self, scope: Scope, *, skip: int = 0, limit: int = 20) -> list[SelfRequest]:
        return self._waiting(scope)[skip : skip + limit]

    async def count_pending(self, scope: Scope) -> int:
        return len(self._waiting(scope))

    async def waiting_with(self, lookup: list[str], since: datetime) -> int:
        return sum(
            1
            for r in self.stored.values()
            if set(r.lookup) & set(lookup) and r.submitted_at >= since
        )

    async def of_family(self, family_ref: str) -> list[SelfRequest]:
        return [replace(r) for r in self.stored.values() if r.family_ref == family_ref]

    async def flag_rectification(self, family_ref: str, case_id: str) -> bool:
        waiting = [
            r
            for r in self.stored.values()
            if r.family_ref == family_ref
            and r.stage == Stage.PENDING
            and case_id not in r.rectifications_done
        ]
        for request in waiting:
            if case_id not in request.rectifications:
                request.rectifications = [*request.rectifications, case_id]
        return bool(waiting)

    async def withdraw_rectification(self, family_ref: str, case_id: str) -> bool:
        flagged = False
        for request in (r for r in self.stored.values() if r.family_ref == family_ref):
            flagged = flagged or case_id in request.rectifications
            request.rectifications = [c for c in request.rectifications if c != case_id]
            request.rectifications_done = sorted({*request.rectifications_done, case_id})
        return flagged

    async def settle(
        self, self_id: str, events: list[CloudEvent[Any]], *, forget_details: bool = False
    ) -> bool:
        stored = self.stored[self_id]
        if stored.owed is None:  # as the store: guarded by the note, in one write
            return False
        cleared = replace(stored, owed=None, owed_to=None, telling_until=None)
        self.stored[self_id] = replace(cleared, sealed={}) if forget_details else cleared
        self.outbox.extend((self_id, e) for e in events)
        return True

    async def owing(self) -> list[SelfRequest]:
        return [replace(r) for r in self.stored.values() if r.owed is not None]

    async def decide(self, request: SelfRequest) -> bool:
        stored = self.stored[request.id]
        if stored.stage != Stage.PENDING:
            return False
        kept = request.stage == Stage.CONFIRMED or request.telling_until is not None
        self.stored[request.id] = replace(  # as the store: the decision's fields only
            request,
            sealed=request.sealed if kept else {},
            rectifications=stored.rectifications,
            rectifications_done=stored.rectifications_done,
        )
        return True


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: dict[str, Notification] = {}

    async def notify(self, notification: Notification) -> None:
        self.sent.setdefault(notification.key, notification)


def submission(**changes: object) -> SelfSubmission:
    base = SelfSubmission(
        parent=Parent("Awa", "Traoré", "06 98 76 54 32", "awa.traore@example.org"),
        children_birth_years=[2019, 2022],
        postal_code="44000",
        commune="Nantes",
        languages=["fr", "bm"],
        contact_preferences=["email"],
        callback_times="le matin avant 10 h",
        needs=[Need.REPIT_GARDE],
        availability=[],
        message="Je suis seule avec deux enfants, épuisée.",
        consent_sharing=False,
        association_id="parrains-par-mille",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def world() -> tuple[FamilyDoor, ConfirmationQueue, FakeUnitOfWork, FakeKeys, FakeNotifier]:
    uow, keys, notifier = FakeUnitOfWork(), FakeKeys(), FakeNotifier()
    door = FamilyDoor(FakeQueue(), uow.families, keys, notifier)
    return door, ConfirmationQueue(door, uow, FakeAudit()), uow, keys, notifier


async def test_a_familys_request_waits_sealed_and_unpublished_until_staff_confirm_it() -> None:
    door, queue, uow, _keys, _ = world()
    received = await door.submit(submission(), NOW)
    assert uow.published == []  # nothing reaches matching before a person reads it
    assert (await door.status(received.code)).standing == Standing.RECEIVED  # type: ignore[union-attr]
    stored = door.queue.stored[received.self_id]  # type: ignore[attr-defined]
    for value in ("Awa", "Traoré", "06 98", "awa.traore", "Nantes", "épuisée"):
        assert value not in json.dumps(stored.sealed, ensure_ascii=False)
    assert received.code not in json.dumps(stored.code_hash)

    [pending] = (await queue.pending(CLAIRE)).items
    assert pending.identity is not None
    assert pending.identity["parent"]["last_name"] == "Traoré"
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id

    [event] = uow.events_of(RequestSubmitted)
    assert (event.request_id, event.channel) == (request_id, RequestChannel.FAMILY)
    assert event.family_ref == stored.family_ref
    assert event.association_id == "parrains-par-mille"
    family = uow.families.stored[stored.family_id]
    assert family.consent.matching
    assert family.consent.collected_by.startswith("la famille")
    assert (await door.status(received.code)).standing == Standing.CONFIRMED  # type: ignore[union-attr]
    with pytest.raises(AlreadyDecidedError):
        await queue.confirm(INES, received.self_id, NOW)
    assert len(uow.published) == 1


async def test_the_queue_shows_staff_only_what_is_theirs_or_the_networks() -> None:
    door, queue, _, _, _ = world()
    mine = await door.submit(submission(), NOW)
    anyone = await door.submit(
        submission(parent=Parent("Léa", "Martin", None, "lea@example.org"), association_id=None),
        NOW,
    )
    elsewhere = await door.submit(
        submission(parent=Parent("Zoé", "Petit", None, "zoe@example.org"), postal_code="75011"),
        NOW,
    )
    assert {p.request.id for p in (await queue.pending(CLAIRE)).items} == {
        mine.self_id,
        anyone.self_id,
    }
    assert {p.request.id for p in (await queue.pending(LUC)).items} == {anyone.self_id}
    assert (await queue.pending(INES)).total == 3
    with pytest.raises(NotFoundError):
        await queue.confirm(LUC, mine.self_id, NOW)  # another association's
    with pytest.raises(NotFoundError):
        await queue.confirm(CLAIRE, elsewhere.self_id, NOW)  # another territory
    request = door.queue.stored[elsewhere.self_id]  # type: ignore[attr-defined]
    assert not queue_admits(Scope(frozenset({"44"}), True, None), request)


async def test_one_contact_may_send_three_requests_a_day_then_is_told_to_wait() -> None:
    door, _, _, _, _ = world()
    for _ in range(rules.PER_CONTACT_PER_DAY):
        await door.submit(submission(), NOW)
    with pytest.raises(ContactLimitError):
        await door.submit(submission(parent=Parent("Autre", "Nom", "06 98 76 54 32")), NOW)
    assert len(door.queue.stored) == rules.PER_CONTACT_PER_DAY  # type: ignore[attr-defined]
    await door.submit(submission(), NOW + timedelta(days=1, minutes=1))  # the next day


async def test_a_family_already_known_is_flagged_then_joined_not_refused() -> None:
    door, queue, uow, keys, _ = world()
    known = await known_to_staff(uow, keys)
    received = await door.submit(submission(), NOW)
    pending = door.queue.stored[received.self_id]  # type: ignore[attr-defined]
    assert pending.possible_duplicates == [known.family_id]
    with pytest.raises(NotFoundError):
        await queue.merge(CLAIRE, received.self_id, "some-other-family", NOW)
    request_id = (await queue.merge(CLAIRE, received.self_id, known.family_id, NOW)).request_id
    family = uow.families.stored[known.family_id]
    assert [r.request_id for r in family.requests][-1] == request_id
    last = uow.events_of(RequestSubmitted)[-1]
    assert (last.family_ref, last.channel) == (family.family_ref, RequestChannel.FAMILY)
    assert pending.family_id in keys.destroyed  # the queue's sealed copy: unreadable
    assert (await door.status(received.code)).standing == Standing.CONFIRMED  # type: ignore[union-attr]


async def test_a_refused_request_keeps_nothing_readable_and_says_so() -> None:
    door, queue, uow, keys, _ = world()
    received = await door.submit(submission(), NOW)
    await queue.refuse(CLAIRE, received.self_id, RefusalReason.NOT_A_REQUEST, NOW)
    stored = door.queue.stored[received.self_id]  # type: ignore[attr-defined]
    assert stored.sealed == {}
    assert stored.family_id in keys.destroyed
    assert (await door.status(received.code)).standing == Standing.REFUSED  # type: ignore[union-attr]
    assert uow.published == []
    assert (await queue.pending(CLAIRE)).items == []


async def test_the_status_follows_matching_in_a_parents_words() -> None:
    door, queue, uow, _, _ = world()
    received = await door.submit(submission(), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    family_id = door.queue.stored[received.self_id].family_id  # type: ignore[attr-defined]
    steps = (
        ("waitlisted", Standing.WAITING),
        ("proposed", Standing.CONFIRMED),  # a suggestion: the association may decline
        ("accepted", Standing.CONTACTING),  # by e-mail: not « va vous appeler »
    )
    for state, expected in steps:
        step = MatchStep(f"e-{state}", request_id, state, datetime.now(UTC))
        uow.families.stored[family_id].orientation.append(step)
        status = await door.status(received.code.lower().replace("-", " "))
        assert status is not None
        assert status.standing == expected
        assert status.title == rules.WORDS[expected][0]
    assert status.title == "Une association va prendre contact avec vous"
    assert await door.status("AAAA-AAAA-AAAA-AAAA") is None
    assert await door.status("not a code") is None


async def test_only_a_family_that_chose_a_call_is_told_it_will_be_called() -> None:
    door, queue, uow, _, notifier = world()
    received = await door.submit(submission(contact_preferences=["phone", "email"]), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    stored = door.queue.stored[received.self_id]  # type: ignore[attr-defined]
    assert await queue.match_step(stored.family_ref, request_id, "accepted")
    told = [n for n in notifier.sent.values() if n.template == "demande-suite"]
    assert [n.context["by_phone"] for n in told] == [True, True]  # its e-mail, an SMS
    step = MatchStep("e-accepted", request_id, "accepted", datetime.now(UTC))
    uow.families.stored[stored.family_id].orientation.append(step)
    status = await door.status(received.code)
    assert status is not None
    assert status.title == "Une association va vous appeler"


async def test_the_status_names_the_association_once_it_has_accepted_the_family() -> None:
    """Proposed, the association may still decline: no name. Accepted or started, the
    family reads who will call (« une association » said nothing)."""
    door, queue, uow, _, _ = world()
    received = await door.submit(submission(), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    family_id = door.queue.stored[received.self_id].family_id  # type: ignore[attr-defined]
    named = {}
    for state in ("proposed", "accepted", "started"):
        at = datetime.now(UTC)
        step = MatchStep(f"e-{state}", request_id, state, at, association_id="afev")
        uow.families.stored[family_id].orientation.append(step)
        status = await door.status(received.code)
        assert status is not None
        named[state] = status.association
    assert named == {"proposed": None, "accepted": "AFEV", "started": "AFEV"}


async def test_the_family_is_told_by_its_channel_once_per_step() -> None:
    door, queue, _, _, notifier = world()
    received = await door.submit(submission(), NOW)
    [sent] = notifier.sent.values()
    assert (sent.template, sent.channel, sent.to) == (
        "demande-recue",
        Channel.EMAIL,
        "awa.traore@example.org",
    )
    assert sent.context["code"] == received.code
    assert sent.recipient_ref != "Traoré"
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    ref = door.queue.stored[received.self_id].family_ref  # type: ignore[attr-defined]
    assert not await queue.match_step(ref, request_id, "waitlisted")
    assert not await queue.match_step(ref, request_id, "proposed")  # the association may decline
    assert [n for n in notifier.sent.values() if n.template == "demande-suite"] == []
    assert await queue.match_step(ref, request_id, "accepted")
    assert await queue.match_step(ref, request_id, "accepted")  # redelivered: same key
    assert await queue.match_step(ref, request_id, "started")  # same key again
    calls = [n for n in notifier.sent.values() if n.template == "demande-suite"]
    assert len(calls) == 1
    assert calls[0].channel == Channel.EMAIL
    assert calls[0].context["by_phone"] is False  # she chose the e-mail: not « appeler »
    text = Renderer().render("demande-suite", Channel.EMAIL, calls[0].context).text
    assert "appeler" not in text
    assert "une association va prendre contact avec vous" in text

    by_sms = await door.submit(
        submission(parent=Parent("Léa", "Martin", "07 11 22 33 44"), contact_preferences=["sms"]),
        NOW,
    )
    assert notifier.sent[f"{by_sms.self_id}:demande-recue:sms"].channel == Channel.SMS


async def test_the_received_email_names_the_status_page_in_the_doors_language() -> None:
    uow, keys, notifier = FakeUnitOfWork(), FakeKeys(), FakeNotifier()
    status = "https://entraide.example/suivi"
    door = FamilyDoor(FakeQueue(), uow.families, keys, notifier, status_url=status)
    in_romanian = await door.submit(submission(language="ro"), NOW)
    in_french = await door.submit(submission(parent=Parent("Ana", "Lima", None, "a@l.pt")), NOW)
    sent = notifier.sent[f"{in_romanian.self_id}:demande-recue:email"]
    assert sent.context["status_url"] == f"{status}?lang=ro"
    text = Renderer().render("demande-recue", Channel.EMAIL, sent.context, "ro").text
    assert f"la {status}?lang=ro." in text
    french = notifier.sent[f"{in_french.self_id}:demande-recue:email"].context
    assert french["status_url"] == status


async def test_the_family_is_told_in_the_language_of_the_page_it_wrote_on() -> None:
    door, queue, _, _, notifier = world()
    received = await door.submit(submission(language="pt"), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    ref = door.queue.stored[received.self_id].family_ref  # type: ignore[attr-defined]
    assert await queue.match_step(ref, request_id, "accepted")
    told = {n.template: n.language for n in notifier.sent.values()}
    assert told == {"demande-recue": "pt", "demande-suite": "pt"}
    on_french_page = await door.submit(
        submission(parent=Parent("Ana", "Lima", None, "a@l.pt")), NOW
    )
    assert notifier.sent[f"{on_french_page.self_id}:demande-recue:email"].language == "fr"


async def test_a_family_confirmed_from_the_door_is_warned_in_the_doors_language() -> None:
    """Years later, the warning before erasure goes in the language the family wrote its
    request in, though it also speaks French (the rule for a family recorded by staff)."""
    door, queue, uow, keys, notifier = world()
    received = await door.submit(submission(language="ar", languages=["fr", "ar"]), NOW)
    await queue.confirm(CLAIRE, received.self_id, NOW)
    ref = door.queue.stored[received.self_id].family_ref  # type: ignore[attr-defined]
    family = await uow.families.by_ref(ref)
    assert family is not None
    assert family.written_language == "ar"
    warnings = RetentionWarnings(uow.families, keys, notifier)
    notice = RetentionNoticeDue(
        notice_id="notice-0001", subject_ref=ref, warning="30d", erase_on=date(2029, 12, 1)
    )
    assert await warnings.warn(notice, today=date(2029, 11, 1))
    assert notifier.sent["notice-0001:conservation-mois"].language == "ar"


async def test_a_family_that_chose_sms_and_email_is_told_by_each_once() -> None:
    door, queue, _, _, notifier = world()
    both = await door.submit(submission(contact_preferences=["sms", "email"]), NOW)
    assert sorted((n.template, n.channel, n.to) for n in notifier.sent.values()) == [
        ("demande-recue", Channel.EMAIL, "awa.traore@example.org"),
        ("demande-recue", Channel.SMS, "06 98 76 54 32"),
    ]
    request_id = (await queue.confirm(CLAIRE, both.self_id, NOW)).request_id
    ref = door.queue.stored[both.self_id].family_ref  # type: ignore[attr-defined]
    for _ in range(2):  # redelivered: each channel's key is sent once
        assert await queue.match_step(ref, request_id, "accepted")
    calls = sorted(n.channel for n in notifier.sent.values() if n.template == "demande-suite")
    assert calls == [Channel.EMAIL, Channel.SMS]
    assert len(notifier.sent) == 4

    # chosen but not reachable: no e-mail given, so the SMS alone
    no_email = Parent("Samir", "Haddad", "07 12 34 56 78")
    alone = await door.submit(
        submission(parent=no_email, contact_preferences=["sms", "email"]), NOW
    )
    mine = [n for n in notifier.sent.values() if n.key.startswith(alone.self_id)]
    assert [(n.channel, n.to) for n in mine] == [(Channel.SMS, "07 12 34 56 78")]
    # reachable but not chosen: the e-mail alone, never an SMS nobody asked for
    only_email = await door.submit(
        submission(parent=Parent("Léa", "Martin", "07 11 22 33 44", "lea@example.org")), NOW
    )
    mine = [n for n in notifier.sent.values() if n.key.startswith(only_email.self_id)]
    assert [(n.channel, n.to) for n in mine] == [(Channel.EMAIL, "lea@example.org")]


def test_a_script_is_told_apart_from_a_person() -> None:
    key = b"k" * 32
    started = time.time() - 30
    token = rules.form_token(key, started)
    assert rules.form_started(key, token) == pytest.approx(started, abs=1)
    assert not rules.looks_automated("", rules.form_started(key, token), time.time())
    assert rules.looks_automated("http://spam.example", started, time.time())  # honeypot
    assert rules.looks_automated("", time.time() - 1, time.time())  # too fast
    assert rules.form_started(key, rules.form_token(b"x" * 32, started)) is None  # not ours
    assert rules.form_started(key, "123.abc") is None


def test_codes_are_random_readable_and_typed_loosely() -> None:
    codes = {rules.new_code() for _ in range(1000)}
    assert len(codes) == 1000
    code = codes.pop()
    assert len(code) == 19
    assert code.count("-") == 3
    assert rules.code_hash(code.lower().replace("-", "")) == rules.code_hash(code)
    assert rules.normalise_code("O0O0-I1I1-0000-0000") is None  # ambiguous symbols never used


async def test_matchings_events_tell_the_family_once_and_only_its_own_request() -> None:
    door, queue, uow, keys, notifier = world()
    received = await door.submit(submission(), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    ref = door.queue.stored[received.self_id].family_ref  # type: ignore[attr-defined]
    staff_recorded = await recording.record_request(
        uow, keys, details(), association_id="parrains-par-mille", channel=RequestChannel.STAFF_FORM
    )
    other = uow.families.stored[staff_recorded.family_id]

    def event(request: str, family_ref: str, data: type = MatchAccepted) -> CloudEvent[Any]:
        if data is MatchWaitlisted:
            payload: Any = MatchWaitlisted(
                request_id=request, family_ref=family_ref, reason_code="too-far", waitlisted_at=NOW
            )
        elif data is MatchAccepted:
            payload = MatchAccepted(
                match_id=f"m-{request}",
                request_id=request,
                family_ref=family_ref,
                association_id="parrains-par-mille",
                accepted_at=NOW,
            )
        else:
            payload = MatchProposed(
                match_id=f"m-{request}",
                request_id=request,
                family_ref=family_ref,
                association_id="parrains-par-mille",
                volunteer_ref="volunteer-0001",
                score=0.8,
                reasons=["Proche"],
                proposed_at=NOW,
                expires_at=NOW + timedelta(days=5),
            )
        return new_event(payload, source="/entraide/matching", subject=family_ref)

    batch = [
        event(request_id, ref, MatchWaitlisted),
        event(request_id, ref, MatchProposed),  # a suggestion: nothing said yet
        event(staff_recorded.request_id, other.family_ref),  # staff call it as usual
        event(request_id, ref),
        event(request_id, ref),  # redelivered
    ]
    reads = door.queue.reads  # type: ignore[attr-defined]
    assert await queue.match_events(batch) == 2
    assert door.queue.reads == reads + 1  # type: ignore[attr-defined]  # one read a batch
    calls = [n for n in notifier.sent.values() if n.template == "demande-suite"]
    assert len(calls) == 1
    assert calls[0].context["code"] == received.code  # repeated: it was sealed beside the identity
