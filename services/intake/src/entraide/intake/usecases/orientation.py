"""Matching's events noted on the families' records: each request's orientation (the
steps are `domain.orientation`'s), one write per batch, a redelivery changing nothing."""

import logging
from typing import Any

from entraide.contracts import CloudEvent
from entraide.intake.domain.orientation import step_of
from entraide.intake.usecases.ports import Families

log = logging.getLogger(__name__)


async def match_events(families: Families, events: list[CloudEvent[Any]]) -> int:
    """Note the steps these events are on the families' records, in one write; returns
    how many were new (a step already noted, or of a family not here, is left)."""
    steps = [(e.data.family_ref, step) for e in events if (step := step_of(e)) is not None]
    noted = await families.note_steps(steps) if steps else 0
    log.info("orientation steps", extra={"events": len(events), "noted": noted})
    return noted
