"""The cases a proved request of the public rights channel opens, once whatever the stops.

The subjects her contact names are noted on the request before any case opens
(`Status.OPENING`), and each case's id is derived from the request and the subject
(`case_id_of`): the code typed again, or the next pass once the code expired, opens only
what a stop left unopened (the store keeps one case an id), seals the statement under each,
and the same cases are recorded on the request, which the passes then follow to its answer.
"""

from entraide.privacy.domain.cases import Case
from entraide.privacy.domain.requests_from_people import PersonRequest, case_id_of
from entraide.privacy.usecases import opening_trail
from entraide.privacy.usecases.officer import Privacy, RefusedError
from entraide.privacy.usecases.public_ports import StatementSeal

ACTOR = "personne"  # the audit trail's actor of a case the person opened
PROVED = "public-request-proved"


def pending(request_id: str) -> str:
    """A rectification's statement under its request, until its cases have it."""
    return f"request-{request_id}"


def of_case(case_id: str) -> str:
    """A rectification's statement under one of its cases, until the case is closed."""
    return f"case-{case_id}"


async def open_noted(
    request: PersonRequest, *, privacy: Privacy, statements: StatementSeal, key: bytes
) -> list[str]:
    """The cases of the subjects noted on the request, in order, each opened unless it
    is already (none for a subject refused: erased, or of the other kind); a
    rectification's statement sealed under each."""
    statement = await statements.open(pending(request.request_id))
    case_ids = []
    for ref in request.opening:
        case = await _case(privacy, request, ref, case_id_of(key, request.request_id, ref))
        if case is None:
            continue
        case_ids.append(case.case_id)
        if statement:  # each case's own, forgotten as it closes
            await statements.seal(of_case(case.case_id), statement, subject_ref=case.subject_ref)
    return case_ids


async def _case(privacy: Privacy, request: PersonRequest, ref: str, case_id: str) -> Case | None:
    """The subject's case, opened and journalled as the person's unless it was already."""
    case = await privacy.rights.get(case_id)
    if case is None:
        try:
            case = await privacy.open_case(
                request.kind, ref, request.subject_kind, actor=ACTOR, case_id=case_id
            )
        except RefusedError:  # already erased, or of the other kind: nothing to open
            return None
    else:  # opened before a stop: its entries written if they were not
        trail = await privacy.audit.of_case(case_id)
        await opening_trail.restore(privacy.audit, case, trail, actor=ACTOR)
        if any(e["action"] == PROVED for e in trail):
            return case
    channel = request.channel.value  # once, though the code is sent twice at once
    proved = opening_trail.once(case_id, PROVED, actor=ACTOR, at=privacy.clock(), channel=channel)
    await privacy.audit.record_many([proved])
    return case
