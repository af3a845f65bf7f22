"""Privacy's `RectificationWithdrawn` on the commands topic the observatory reads: parsed
(a catalogued event, so never dead-lettered) and left uncounted, as the rectification
commands are."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from entraide.contracts import new_event
from entraide.contracts.events import RectificationWithdrawn
from entraide.contracts.vocab import SubjectKind
from entraide.observatory.entrypoints.consumers.events import incoming


def test_a_withdrawn_rectification_is_read_and_not_counted() -> None:
    withdrawn = RectificationWithdrawn(
        case_id="case-0015",
        subject_ref="fam-ref-0004",
        subject_kind=SubjectKind.FAMILY,
        decision="refused",
        withdrawn_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
    )
    event = new_event(withdrawn, source="/entraide/privacy", subject="fam-ref-0004")
    record = SimpleNamespace(value=event.model_dump_json().encode())
    assert incoming(cast(Any, record)) is None
