"""Privacy's own answer to an erasure destroys the subject's keys: after a restore to a
point before the erasure, its case is gone with the rest (nothing left to close), and the
command replayed from the topic is all that comes back; the keys the backup brought back
must not stay alive with it (intake's and directory's backups would be readable again)."""

from datetime import UTC, datetime

from entraide.contracts.events import ErasureAcknowledged, ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.entrypoints.http import labels
from tests.unit.privacy.fakes import SERVICES, Clock, World

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
REF = "fam-ref-restored"


def erasure(case_id: str) -> ErasureRequested:
    return ErasureRequested(
        case_id=case_id,
        subject_ref=REF,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW,
        reason=ErasureReason.RIGHTS_REQUEST,
    )


async def test_a_replayed_erasure_destroys_the_keys_a_restore_brought_back() -> None:
    world = World(Clock(NOW))  # restored: the keys are there, the erasure's case is not
    await world.keys.get_or_create("intake", "family-1", subject_ref=REF, subject_kind="family")
    await world.keys.get_or_create("directory", "v-1", subject_ref=REF, subject_kind="family")
    await world.keys.get_or_create("intake", "family-2", subject_ref="other", subject_kind="family")

    counts = await world.own_part.erase(erasure("case-gone-with-the-restore"))

    assert counts["keys"] == 2
    assert world.keys.live(REF) == 0
    assert world.keys.live("other") == 1  # another subject's key untouched
    again = await world.own_part.erase(erasure("case-gone-with-the-restore"))
    assert "keys" not in again  # idempotent: nothing left to destroy


async def test_the_other_services_still_answer_and_the_case_closes() -> None:
    # the keys go with privacy's answer, before the others': no service's erasure needs
    # them (intake and directory destroy their own first), the case closes as before
    world = World(Clock(NOW))
    await world.keys.get_or_create("intake", "family-1", subject_ref=REF, subject_kind="family")
    case = await world.rights.open(CaseKind.ERASURE, REF, SubjectKind.FAMILY, actor="dpo-1")

    ours = await world.own_part.erase(erasure(case.case_id))
    assert world.keys.live(REF) == 0
    for service in SERVICES:
        counts = ours if service == "privacy" else {"rows": 1}
        ack = ErasureAcknowledged(
            case_id=case.case_id, subject_ref=REF, service=service, completed_at=NOW, counts=counts
        )
        assert await world.rights.record_ack(ack)

    closed = await world.rights.get(case.case_id)
    assert closed is not None
    assert closed.status == CaseStatus.CLOSED
    assert closed.acks["privacy"].counts == {"subjects": 0, "notices": 0, "keys": 1}
    assert world.audit.entries[-1]["keys_destroyed"] == 0  # privacy's answer destroyed it


async def test_an_access_copy_destroyed_by_an_erasure_under_way_names_that_erasure() -> None:
    """Privacy's answer destroys the keys before the other services answer: until the
    erasure closes, the officer's page named no erasure (« détruit avec l'effacement »
    with no case to open); it names the one under way, and its link."""
    world = World(Clock(NOW))
    access = await world.rights.open(CaseKind.ACCESS, REF, SubjectKind.FAMILY, actor="personne")
    case = await world.rights.open(CaseKind.ERASURE, REF, SubjectKind.FAMILY, actor="personne")
    await world.own_part.erase(erasure(case.case_id))  # the others have not answered yet

    said = await world.rights.destroyed(access)

    assert said is not None
    assert said.erasure is not None
    assert said.erasure.case_id == case.case_id
    assert said.asked
    assert labels.destroyed(said).startswith(
        "L'export a été détruit avec l'effacement des données de la personne, en cours "
        "(à la demande de la personne) :"
    )
