"""A person's copy of intake's data (GDPR art. 15) is built from the fields classified as
hers, and every field of the records it walks into is classified, once: `owed` and
`owed_to` reached the export page as code (fresh-clone CI of acf3bc1) because a deny-list
missed them; a field left in neither set now fails here, named, before it reaches a copy."""

import typing
from dataclasses import fields, is_dataclass
from datetime import date

from entraide.contracts.events import AccessRequested
from entraide.contracts.vocab import ContactChannel, SubjectKind
from entraide.intake.domain import sealing
from entraide.intake.domain.family import Consent, Contact, Family, MatchStep, Request
from entraide.intake.domain.personal_copy import KEPT, SHOWN
from entraide.intake.domain.self_requests import SelfRequest
from tests.unit.intake.builders import CLAIRE
from tests.unit.intake.test_rectification_at_the_door import NOW, waiting

WHERE = "services/intake/src/entraide/intake/domain/personal_copy.py"


def _walked(record: type) -> set[type]:
    """The dataclasses the copy walks into from `record`: through its shown fields only."""
    found, hints = {record}, typing.get_type_hints(record)
    for name in SHOWN.get(record, frozenset()):
        for kind in _kinds(hints[name]):
            if isinstance(kind, type) and is_dataclass(kind) and kind not in found:
                found |= _walked(kind)
    return found


def _kinds(hint: object) -> set[object]:
    return {hint}.union(*(_kinds(arg) for arg in typing.get_args(hint)))


def test_every_field_of_the_records_a_copy_walks_is_shown_or_kept_never_both() -> None:
    problems = []
    for record in sorted(_walked(Family) | _walked(SelfRequest), key=lambda k: k.__name__):
        shown, kept = SHOWN.get(record, frozenset()), set(KEPT.get(record, {}))
        for f in fields(record):
            where = f"{record.__name__}.{f.name}"
            if f.name not in shown | kept:
                problems.append(f"{where}: classify it in {WHERE}, SHOWN (hers) or KEPT (why not)")
            elif f.name in shown & kept:
                problems.append(f"{where}: both SHOWN and KEPT in {WHERE}")
        gone = (shown | kept) - {f.name for f in fields(record)}
        problems += [f"{record.__name__}.{name}: no such field ({WHERE})" for name in gone]
    assert not problems, "\n".join(problems)


async def test_the_copy_holds_exactly_the_fields_shown_sealed_ones_opened() -> None:
    w = await waiting()
    await w.queue.confirm(CLAIRE, w.request.id, NOW)
    door = w.door.queue.stored[w.request.id]  # type: ignore[attr-defined]
    door.owed, door.owed_to, door.similar_pending = "carry", "ref-owed", 2  # intake's
    family = w.uow.families.stored[door.family_id]
    key = await w.keys.existing(family.id)
    assert key is not None
    note = sealing.seal(key, family.id, "Appel : tout va bien.")
    family.contacts.append(
        Contact(date(2026, 12, 1), NOW, ContactChannel.PHONE, "c", "Claire", note)
    )
    step = MatchStep("e-1", family.requests[0].request_id, "waitlisted", NOW, reason="too-far")
    family.orientation.append(step)
    family.rectifications_done = ["case-done"]
    asked = AccessRequested(
        case_id="case-0003",
        subject_ref=family.family_ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW,
        recipient_key=None,
    )

    export = await w.rights.export(asked)

    part, (own,) = export["family"], export["own_requests"]
    assert set(part) == SHOWN[Family]
    for name, record in (("consent", Consent), ("requests", Request), ("contacts", Contact),
                         ("orientation", MatchStep)):  # fmt: skip
        rows = part[name] if isinstance(part[name], list) else [part[name]]
        assert rows, name
        assert all(set(row) == SHOWN[record] for row in rows), name
    assert set(own) == SHOWN[SelfRequest] | {"identity"}  # its sealed copy, opened
    assert part["identity"]["parent"]["last_name"] == own["identity"]["parent"]["last_name"]
    assert part["contacts"][0]["note"] == "Appel : tout va bien."
    assert part["requests"][0]["notes"].startswith("À rappeler")
    assert "code" not in own["identity"]  # her follow-up code, shown once, never again
    for internal in (
        "carry",
        "ref-owed",
        "case-done",
        "ciphertext",
        door.code_hash,
        *family.lookup,
    ):
        assert internal not in str(export), internal
