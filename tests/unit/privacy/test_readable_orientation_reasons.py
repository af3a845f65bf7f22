"""The access copy's « Historique de l'orientation » (intake's steps): a step waitlisted
by matching's « too-far » rule read « Motif : Trop loin en pratique », the coordinator's
reason for declining a proposal, where the staff's record says « Personne à distance
raisonnable ». A step's reason is read by its state."""

from entraide.contracts import labels as shared
from entraide.privacy.entrypoints.http.readable import readable

AT = "2026-12-01T19:14:00+00:00"


def _step(state: str, reason: str) -> dict[str, str]:
    return {"request_id": "109c347e62e6", "state": state, "at": AT, "reason": reason}


def test_a_waitlisted_steps_reason_is_why_it_waits_a_declined_ones_why_declined() -> None:
    steps = [_step("waitlisted", "too-far"), _step("declined", "too-far")]
    waited, declined = readable({"orientation": steps})["Historique de l'orientation"]
    assert waited["Motif de l'attente"] == shared.WAITLIST_REASONS["too-far"]
    assert declined["Motif"] == shared.DECLINE_REASONS["too-far"]


def test_the_rights_cases_noted_on_a_record_read_as_short_references() -> None:
    """The copy showed « Rectifications demandées : 932238ff81024993ac88feb6eaebab15 »."""
    case = "932238ff81024993ac88feb6eaebab15"
    shown = readable({"rectifications": [case], "objections": [case]})
    assert shown["Rectifications demandées"] == ["9322 38ff"]
    assert shown["Oppositions reçues"] == ["9322 38ff"]
