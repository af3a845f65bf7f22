"""What every v1 payload shares: the base class, reference and place types, slots."""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from entraide.contracts.vocab import (
    DayPart,
    Weekday,
)

Ref = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Departement = Annotated[str, Field(pattern=r"^(\d{2}|2[AB]|97\d)$", examples=["44"])]
PostalCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["44000"])]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", examples=["fr"])]


class EventData(BaseModel):
    """Base of every payload. Unknown fields are ignored, so v1 can grow additively."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    EVENT_TYPE: ClassVar[str]


class Slot(BaseModel):
    """A recurring half-day when someone is available."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    day: Weekday
    part: DayPart
