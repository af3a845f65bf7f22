from datetime import UTC, datetime

import pytest

from entraide.contracts.events import OfferWithdrawn, RequestSubmitted, RequestWithdrawn
from entraide.contracts.vocab import Need, RequestChannel, Urgency, WithdrawalReason
from entraide.matching import domain

AT = datetime(2026, 11, 28, tzinfo=UTC)


def submitted(consent: bool = True) -> RequestSubmitted:
    return RequestSubmitted(
        request_id="r" * 32,
        family_ref="f" * 22,
        revision=1,
        departement="93",
        postal_code="93200",
        children_age_bands=["3-5"],
        needs=[Need.ECOUTE],
        urgency=Urgency.HIGH,
        channel=RequestChannel.PARTNER,
        consent_to_matching=consent,
        submitted_at=AT,
    )


def test_submitted_request_opens_the_view() -> None:
    view = domain.request_view(submitted(), event_id="e1")
    assert view["status"] == "open"
    assert view["revision"] == 1
    assert view["last_event_id"] == "e1"
    assert "request_id" not in view  # it is the document id


def test_request_without_consent_is_never_open() -> None:
    assert domain.request_view(submitted(consent=False), event_id="e1")["status"] == "no-consent"


def test_withdrawal_closes_the_view() -> None:
    event = RequestWithdrawn(
        request_id="r" * 32,
        family_ref="f" * 22,
        revision=3,
        reason=WithdrawalReason.DUPLICATE,
        withdrawn_at=AT,
    )
    view = domain.request_view(event, event_id="e3")
    assert (view["status"], view["revision"]) == ("withdrawn", 3)


def test_other_events_are_refused() -> None:
    with pytest.raises(TypeError):
        domain.request_view(
            OfferWithdrawn(offer_id="o" * 10, association_id="a", revision=1, withdrawn_at=AT),
            event_id="e",
        )
