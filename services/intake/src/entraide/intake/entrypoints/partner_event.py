"""The event partners send, by Kafka or by HTTP: a CloudEvents 1.0 JSON event, validated
the same way at both doors, and the use cases' command it becomes."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from entraide.intake.entrypoints.http.schemas import PartnerRequest
from entraide.intake.usecases.commands import PartnerSubmission

PARTNER_EVENT_TYPE = "fr.entraide.partner.request-submitted.v1"


class PartnerEvent(BaseModel):
    """A partner's request for support, as a structured CloudEvent."""

    model_config = ConfigDict(extra="allow", title="PartnerRequestSubmitted")

    specversion: Literal["1.0"]
    id: str = Field(
        min_length=1, max_length=128, description="Unique per source; a resend keeps it."
    )
    source: str = Field(min_length=1, max_length=256, examples=["urn:entraide:partner:caf-44"])
    type: Literal["fr.entraide.partner.request-submitted.v1"]
    time: datetime | None = None
    datacontenttype: Literal["application/json"] | None = None
    data: PartnerRequest

    def submission(self) -> PartnerSubmission:
        """The use cases' command for this event."""
        return PartnerSubmission(
            source=self.source,
            event_id=self.id,
            association_id=self.data.association_id,
            details=self.data.details(),
        )


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of the partner event (generated, never hand-written)."""
    schema = PartnerEvent.model_json_schema()
    schema["$id"] = f"https://entraide.example/schemas/{PARTNER_EVENT_TYPE}.json"
    return schema
