"""The CloudEvents 1.0 envelope (structured JSON mode) around every v1 payload."""

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from entraide.contracts.catalog import spec_for_type
from entraide.contracts.events import EventData

DataT = TypeVar("DataT", bound=EventData)

CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"


class CloudEvent(BaseModel, Generic[DataT]):
    """A CloudEvents 1.0 event whose `data` is one of the network's payloads."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1, max_length=128)
    source: str = Field(min_length=1, examples=["/entraide/intake"])
    type: str = Field(min_length=1, examples=["fr.entraide.request.submitted.v1"])
    time: datetime
    subject: str | None = Field(None, description="The pseudonymous reference of the subject.")
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    dataclassification: str | None = Field(
        None,
        description="CloudEvents extension: what the data is (`public`, `pseudonymous`, "
        "`personal-encrypted`), so every consumer knows what it holds.",
    )
    dataregulation: str | None = Field(
        None, description="CloudEvents extension: the regulation the data falls under (`gdpr`)."
    )
    data: DataT


@cache
def envelope_of(payload: type[EventData]) -> type[CloudEvent[Any]]:
    """`CloudEvent[payload]`, made once per payload class: pydantic keeps its generic
    classes in a weak cache, so without a reference held here the class was rebuilt now and
    then on the hot path (a profile of intake's API showed it)."""
    model: type[CloudEvent[Any]] = cast(Any, CloudEvent)[payload]
    return model


class UnknownEventTypeError(ValueError):
    """The event's `type` is not one the network declares."""


def new_event(
    data: DataT, *, source: str, subject: str, event_id: str | None = None
) -> "CloudEvent[DataT]":
    """Wrap a payload in a fresh envelope with the type its model declares."""
    # Parameterised by the concrete payload class, so serialisation keeps all its fields.
    model: Any = envelope_of(type(data))
    spec = spec_for_type(data.EVENT_TYPE)
    event: CloudEvent[DataT] = model(
        dataclassification=spec.classification if spec else None,
        dataregulation=spec.regulation if spec else None,
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=data.EVENT_TYPE,
        time=datetime.now(UTC),
        subject=subject,
        data=data,
    )
    return event


def parse_event(raw: bytes | str | dict[str, Any]) -> "CloudEvent[EventData]":
    """Validate a structured CloudEvent against the model its `type` names.

    Raises `UnknownEventTypeError` for a type the network does not declare and
    `pydantic.ValidationError` (naming the field) for a payload that does not fit.
    """
    event_type = raw.get("type") if isinstance(raw, dict) else _Head.model_validate_json(raw).type
    spec = spec_for_type(str(event_type))
    if spec is None:
        raise UnknownEventTypeError(f"unknown event type: {event_type!r}")
    model = envelope_of(spec.model)
    if isinstance(raw, dict):
        return model.model_validate(raw)
    return model.model_validate_json(raw)


class _Head(BaseModel):
    """Just enough of an envelope to know which model validates the rest."""

    type: str | None = None
